using System.Reflection;
using System.Runtime.InteropServices;
using TorchSharp;

namespace SparseViT.Engine.Native;

/// <summary>
/// Brings libtorch up once per process and turns native-loading failures into messages a user can act on.
/// CUDA libtorch can come from an existing PyTorch installation (SPARSEVIT_LIBTORCH=&lt;dir with libtorch_cuda.so&gt;):
/// it is preloaded by full path before TorchSharp initializes, so TorchSharp's own library binds to it.
/// </summary>
public static class TorchRuntime
{
    public const string LibTorchVariable = "SPARSEVIT_LIBTORCH";
    private const string RequiredGlibcxx = "GLIBCXX_3.4.32";
    private static readonly object Gate = new();
    private static bool _initialised;
    private static string? _cudaProblem;

    /// <summary>Loads the native backend (CUDA when available) or throws <see cref="NativeRuntimeException"/> with the reason.</summary>
    public static void EnsureInitialized()
    {
        lock (Gate)
        {
            if (_initialised) return;
            PreloadExternalLibTorch();
            try
            {
                if (!torch.TryInitializeDeviceType(DeviceType.CUDA))
                {
                    _cudaProblem ??= "no CUDA-enabled libtorch was found (this build ships the CPU libtorch; set " + LibTorchVariable +
                                     " to a PyTorch torch/lib folder holding libtorch_cuda.so to use a GPU)";
                    torch.InitializeDeviceType(DeviceType.CPU);
                }
                _ = torch.get_num_threads();
                // Our stderr carries our lines only: NNPACK's "Unsupported hardware" warning is libtorch chatter.
                LibTorchContext.DisableNnpack();
            }
            catch (Exception e) when (e is DllNotFoundException or TypeInitializationException or NotSupportedException or BadImageFormatException)
            {
                throw new NativeRuntimeException(Explain(e), e);
            }
            _initialised = true;
        }
    }

    /// <summary>Why CUDA is not usable, or null when it is.</summary>
    public static string? CudaProblem
    {
        get
        {
            EnsureInitialized();
            if (torch.cuda.is_available()) return null;
            return _cudaProblem ?? "CUDA libtorch loaded but no CUDA device is visible";
        }
    }

    public static string TorchSharpVersion =>
        typeof(torch).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0]
        ?? typeof(torch).Assembly.GetName().Version?.ToString() ?? "unknown";

    /// <summary>The libtorch version TorchSharp reports once initialized.</summary>
    public static string LibTorchVersion
    {
        get
        {
            EnsureInitialized();
            try { return torch.__version__; } catch { return "unknown"; }
        }
    }

    private static void PreloadExternalLibTorch()
    {
        string? dir = Environment.GetEnvironmentVariable(LibTorchVariable);
        if (string.IsNullOrWhiteSpace(dir)) return;
        if (!Directory.Exists(dir))
        {
            _cudaProblem = $"{LibTorchVariable}={dir} is not a folder";
            return;
        }
        if (!File.Exists(Path.Combine(dir, "libtorch_cuda.so")))
            _cudaProblem = $"{LibTorchVariable}={dir} holds no libtorch_cuda.so (a CPU-only PyTorch?)";
        // Dependencies first, so each library's NEEDED entries resolve (by soname) to this installation
        // rather than to a libtorch shipped beside the tool.
        foreach (var name in new[] { "libc10.so", "libc10_cuda.so", "libtorch_cpu.so", "libtorch_cuda.so", "libtorch.so" })
        {
            string path = Path.Combine(dir, name);
            if (File.Exists(path) && !NativeLibrary.TryLoad(path, out _))
                _cudaProblem = $"could not load {path}";
        }
    }

    private static string Explain(Exception e)
    {
        string detail = Flatten(e);
        if (detail.Contains(RequiredGlibcxx, StringComparison.Ordinal) || (LibStdCxxLacksRequiredVersion() && ShippedLibraryIsUnpatched()))
            return $"TorchSharp's native library could not be loaded: this host's libstdc++ lacks {RequiredGlibcxx} (GCC 13). " +
                   "Builds normally add a compatibility shim automatically; install patchelf and g++ (apt-get install -y patchelf g++) and rebuild, " +
                   "or run src/SparseViT.Engine/Native/compat/patch-libtorchsharp.sh <output folder>. Loader said: " + detail;
        return "TorchSharp's native libraries could not be loaded (libLibTorchSharp.so and libtorch from the libtorch-cpu-linux-x64 package must sit in the application folder or runtimes/linux-x64/native, or set " + LibTorchVariable + " to a PyTorch torch/lib folder). Loader said: " + detail;
    }

    private static string Flatten(Exception e)
    {
        var parts = new List<string>();
        for (var x = e; x is not null; x = x.InnerException) parts.Add(x.Message);
        return string.Join(" → ", parts.Distinct());
    }

    /// <summary>True when the application folder holds a libLibTorchSharp.so without the compatibility shim.</summary>
    private static bool ShippedLibraryIsUnpatched()
    {
        foreach (var candidate in new[] { Path.Combine(AppContext.BaseDirectory, "libLibTorchSharp.so"), Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native", "libLibTorchSharp.so") })
        {
            if (!File.Exists(candidate)) continue;
            try { return File.ReadAllBytes(candidate).AsSpan().IndexOf("libsparsevit_stdcxx_compat.so"u8) < 0; }
            catch (IOException) { return false; }
        }
        return false;
    }

    /// <summary>True when the system libstdc++ predates GCC 13 (Debian 12, Ubuntu 22.04).</summary>
    public static bool LibStdCxxLacksRequiredVersion()
    {
        foreach (var candidate in new[] { "/usr/lib/x86_64-linux-gnu/libstdc++.so.6", "/usr/lib64/libstdc++.so.6", "/lib64/libstdc++.so.6" })
        {
            if (!File.Exists(candidate)) continue;
            try
            {
                var bytes = File.ReadAllBytes(candidate);
                return bytes.AsSpan().IndexOf("GLIBCXX_3.4.32"u8) < 0;
            }
            catch (IOException) { return false; }
        }
        return false;
    }
}
