using System.Reflection;
using System.Runtime.InteropServices;
using System.Runtime.Loader;

namespace SparseViT.PowerShell.Hosting;

/// <summary>
/// The module's own load context for everything under <c>Dependencies/</c>: the engine, the forensics library and the
/// libraries they use (TorchSharp, SkiaSharp, MetadataExtractor, CsvHelper, …) with their native code. A session that
/// already holds another version of one of those (loaded by another module) keeps it in its context and we keep ours
/// in this one, so neither module binds to the other's copy (PowerShell's "resolving dependency conflicts" pattern,
/// as platyPS does it). Framework assemblies are not here and come from the default context.
/// </summary>
internal sealed class DependencyLoadContext : AssemblyLoadContext
{
    private static readonly Lazy<DependencyLoadContext> Shared = new(() => new DependencyLoadContext(ModuleAssemblyLoader.DependencyDirectory));

    private DependencyLoadContext(string directory) : base("SparseViT.Automation", isCollectible: false) => Directory = directory;

    public static DependencyLoadContext Instance => Shared.Value;

    public string Directory { get; }

    /// <summary>True when this module folder has the isolated layout (a build output used directly is flat).</summary>
    public static bool IsAvailable => System.IO.Directory.Exists(ModuleAssemblyLoader.DependencyDirectory);

    protected override Assembly? Load(AssemblyName name)
    {
        if (string.IsNullOrEmpty(name.Name)) return null;
        string candidate = Path.Combine(Directory, name.Name + ".dll");
        // Anything we do not ship (the framework, System.Management.Automation) falls through to the default context.
        return File.Exists(candidate) ? LoadFromAssemblyPath(candidate) : null;
    }

    protected override IntPtr LoadUnmanagedDll(string unmanagedDllName)
    {
        // DllImport("LibTorchSharp"), ("libSkiaSharp"), or a full soname: look beside our assemblies first.
        foreach (string file in new[] { unmanagedDllName, $"lib{unmanagedDllName}.so", $"{unmanagedDllName}.so" })
        {
            string candidate = Path.Combine(Directory, file);
            if (File.Exists(candidate) && NativeLibrary.TryLoad(candidate, out var handle)) return handle;
        }
        return IntPtr.Zero;
    }
}
