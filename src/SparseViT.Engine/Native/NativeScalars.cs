using TorchSharp;
using static TorchSharp.torch;

namespace SparseViT.Engine.Native;

/// <summary>
/// Scalars that stay alive for the whole process, and tensor arithmetic that uses them instead of TorchSharp's
/// hidden temporaries.
/// </summary>
/// <remarks>
/// TorchSharp 0.107 converts numbers to <see cref="Scalar"/> objects on every call (<c>a + b</c> is
/// <c>a.add(b, alpha: 1)</c>, <c>t.add_(1)</c> builds two) and hands libtorch only their handles. Nothing keeps such a
/// temporary reachable during the native call, so a garbage collection on another thread can finalize it and free the
/// scalar while libtorch reads it: "Unknown scalar type" or a failed check in <c>Scalar::toFloat</c>, seen after
/// ~1,100 GPU training updates with 15 sample workers allocating. Code on the engine's hot paths therefore passes
/// scalars it owns: these static ones (never collected), or locals disposed only after the call.
/// </remarks>
public static class NativeScalars
{
    private static readonly Lazy<Scalar> LazyOne = new(() =>
    {
        // Creating a scalar initializes libtorch; do it the engine's way so a CUDA libtorch can still be chosen.
        TorchRuntime.EnsureInitialized();
        return 1.ToScalar();
    });

    /// <summary>The integer 1, as TorchSharp's implicit <c>alpha</c> of an addition.</summary>
    public static Scalar One => LazyOne.Value;

    /// <summary><paramref name="a"/> + <paramref name="b"/> (same kernel and result as the <c>+</c> operator).</summary>
    public static Tensor Plus(this Tensor a, Tensor b) => a.add(b, One);

    /// <summary><paramref name="a"/> + <paramref name="value"/> for a scalar the caller keeps alive.</summary>
    public static Tensor Plus(this Tensor a, Scalar value) => a.add(value, One);

    /// <summary>In-place <paramref name="a"/> += <paramref name="value"/> for a scalar the caller keeps alive.</summary>
    public static Tensor PlusInPlace(this Tensor a, Scalar value) => a.add_(value, One);
}
