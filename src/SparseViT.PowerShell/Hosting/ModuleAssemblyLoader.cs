using System.Management.Automation;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.Loader;

namespace SparseViT.PowerShell.Hosting;

/// <summary>
/// Lets the module's managed dependencies (TorchSharp, SkiaSharp, MetadataExtractor, CsvHelper, the engine and
/// forensics libraries) load from the module folder. A PowerShell host resolves assemblies from its own folder, not
/// from a module's, so without this the first cmdlet that touches the engine fails with FileNotFoundException.
/// Registered twice on purpose: the module initializer covers hosts that load the DLL without Import-Module
/// (Add-Type, tests), OnImport covers Import-Module; registration is idempotent.
/// </summary>
public sealed class ModuleAssemblyLoader : IModuleAssemblyInitializer
{
    private static readonly object Gate = new();
    private static bool _registered;

    /// <summary>Folder holding SparseViT.Automation.dll and its dependencies.</summary>
    public static string ModuleDirectory { get; } =
        Path.GetDirectoryName(typeof(ModuleAssemblyLoader).Assembly.Location) ?? AppContext.BaseDirectory;

    public void OnImport() => Register();

#pragma warning disable CA2255 // A library module initializer is the point: it must run before any dependency is needed.
    [ModuleInitializer]
    internal static void Register()
#pragma warning restore CA2255
    {
        lock (Gate)
        {
            if (_registered) return;
            var context = AssemblyLoadContext.GetLoadContext(typeof(ModuleAssemblyLoader).Assembly) ?? AssemblyLoadContext.Default;
            context.Resolving += Resolve;
            _registered = true;
        }
    }

    private static Assembly? Resolve(AssemblyLoadContext context, AssemblyName name)
    {
        if (string.IsNullOrEmpty(name.Name)) return null;
        string candidate = Path.Combine(ModuleDirectory, name.Name + ".dll");
        if (!File.Exists(candidate)) return null;
        // A host that already loaded a different version of the same assembly keeps it; refusing here would only
        // turn a possibly compatible binding into a certain failure.
        return context.LoadFromAssemblyPath(candidate);
    }
}
