namespace SparseViT.Training.Data;

/// <summary>
/// Seeds for per-sample random streams that are the same in every process. <see cref="HashCode.Combine{T1,T2}"/> is
/// randomized per process, so it cannot be used where "same seed → same images" must hold across runs (the held-out
/// set, a resumed training stream).
/// </summary>
public static class SampleSeed
{
    /// <summary>SplitMix64 over the inputs in order, folded to a non-negative 31-bit seed.</summary>
    public static int Of(long a, long b, long c)
    {
        ulong h = 0x9E3779B97F4A7C15UL;
        foreach (long v in (ReadOnlySpan<long>)[a, b, c]) h = Mix(h ^ (ulong)v);
        return (int)(h >> 33);
    }

    private static ulong Mix(ulong z)
    {
        z += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
