using System.Runtime.InteropServices;

namespace SparseViT.Engine.Native;

/// <summary>
/// The few switches of libtorch's global <c>at::Context</c> that TorchSharp does not expose, reached through the
/// C++ symbols libtorch_cpu exports (they have kept these names since libtorch 1.x). A libtorch without them (another
/// build through SPARSEVIT_LIBTORCH) is left as it is: every switch here is a refinement, never a requirement.
/// </summary>
public static unsafe class LibTorchContext
{
    private static readonly object Gate = new();
    private static bool _resolved;
    private static delegate* unmanaged<IntPtr> _globalContext;
    private static delegate* unmanaged<IntPtr, byte, void> _setUserEnabledNnpack;
    private static delegate* unmanaged<IntPtr, byte> _userEnabledNnpack;

    /// <summary>
    /// Keeps libtorch from initializing NNPACK. On CPUs NNPACK does not know, that initialization prints
    /// "Could not initialize NNPACK! Reason: Unsupported hardware." to stderr on every convolution that oneDNN declines
    /// (one thread, float64); NNPACK would only ever serve float32 batches of 16 or more, which oneDNN and GEMM serve.
    /// </summary>
    /// <returns>True when NNPACK is now off; false when this libtorch does not export the switch.</returns>
    public static bool DisableNnpack()
    {
        Resolve();
        if (_globalContext == null || _setUserEnabledNnpack == null) return false;
        _setUserEnabledNnpack(_globalContext(), 0);
        return true;
    }

    /// <summary>libtorch's own answer (null when it cannot be asked).</summary>
    public static bool? NnpackEnabled
    {
        get
        {
            Resolve();
            if (_globalContext == null || _userEnabledNnpack == null) return null;
            return _userEnabledNnpack(_globalContext()) != 0;
        }
    }

    private static void Resolve()
    {
        lock (Gate)
        {
            if (_resolved) return;
            _resolved = true;
            // Already loaded by TorchSharp; dlopen by soname hands back that copy (an external CUDA libtorch included).
            if (!NativeLibrary.TryLoad("libtorch_cpu.so", out var library)) return;
            if (NativeLibrary.TryGetExport(library, "_ZN2at13globalContextEv", out var context))
                _globalContext = (delegate* unmanaged<IntPtr>)context;
            if (NativeLibrary.TryGetExport(library, "_ZN2at7Context20setUserEnabledNNPACKEb", out var set))
                _setUserEnabledNnpack = (delegate* unmanaged<IntPtr, byte, void>)set;
            if (NativeLibrary.TryGetExport(library, "_ZNK2at7Context17userEnabledNNPACKEv", out var get))
                _userEnabledNnpack = (delegate* unmanaged<IntPtr, byte>)get;
        }
    }
}
