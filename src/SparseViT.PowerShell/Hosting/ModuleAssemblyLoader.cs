using System.Management.Automation;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.Loader;

namespace SparseViT.PowerShell.Hosting;

/// <summary>
/// Connects the cmdlet assembly (loaded by PowerShell into the default context) to its dependencies. The module folder
/// holds only SparseViT.Automation.dll at its root; the engine, the forensics library and every third-party library sit
/// in <c>Dependencies/</c>, where PowerShell does not look. When the default context cannot find SparseViT.Engine or
/// SparseViT.Forensics, this answers with the copy in <see cref="DependencyLoadContext"/>, which loads their own
/// dependencies in isolation. A flat folder (the project's build output used as a module) still works: its
/// dependencies load beside the cmdlets, as before. Registered from both the module initializer (hosts that load the
/// DLL without Import-Module) and OnImport; registration is idempotent and OnRemove undoes it.
/// </summary>
public sealed class ModuleAssemblyLoader : IModuleAssemblyInitializer, IModuleAssemblyCleanup
{
    private static readonly object Gate = new();
    private static readonly HashSet<string> Bridged = new(StringComparer.Ordinal) { "SparseViT.Engine", "SparseViT.Forensics" };
    private static AssemblyLoadContext? _registeredOn;

    /// <summary>Folder holding SparseViT.Automation.dll (the module's root).</summary>
    public static string ModuleDirectory { get; } =
        Path.GetDirectoryName(typeof(ModuleAssemblyLoader).Assembly.Location) ?? AppContext.BaseDirectory;

    public static string DependencyDirectory => Path.Combine(ModuleDirectory, "Dependencies");

    public void OnImport() => Register();

    public void OnRemove(PSModuleInfo psModuleInfo)
    {
        lock (Gate)
        {
            if (_registeredOn is null) return;
            _registeredOn.Resolving -= Resolve;
            _registeredOn = null;
        }
    }

#pragma warning disable CA2255 // A library module initializer is the point: it must run before any dependency is needed.
    [ModuleInitializer]
    internal static void Register()
#pragma warning restore CA2255
    {
        lock (Gate)
        {
            if (_registeredOn is not null) return;
            _registeredOn = AssemblyLoadContext.GetLoadContext(typeof(ModuleAssemblyLoader).Assembly) ?? AssemblyLoadContext.Default;
            _registeredOn.Resolving += Resolve;
        }
    }

    private static Assembly? Resolve(AssemblyLoadContext context, AssemblyName name)
    {
        if (string.IsNullOrEmpty(name.Name)) return null;
        if (DependencyLoadContext.IsAvailable)
            // Only the two libraries the cmdlets use directly cross over; the rest stay inside the module's context.
            return Bridged.Contains(name.Name) ? DependencyLoadContext.Instance.LoadFromAssemblyName(name) : null;
        string candidate = Path.Combine(ModuleDirectory, name.Name + ".dll");
        return File.Exists(candidate) ? context.LoadFromAssemblyPath(candidate) : null;
    }
}
