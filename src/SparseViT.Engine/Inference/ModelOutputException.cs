namespace SparseViT.Engine.Inference;

/// <summary>
/// The model produced a map that cannot be a probability map: a NaN or infinity, or a value outside [0, 1]. Such a map
/// is never scored: every caller turns this into an error for the image (record code <c>model-output-not-finite</c>,
/// PowerShell ErrorId <c>ModelOutputNotFinite</c>). Causes seen: a checkpoint whose weights hold NaN/Inf, reduced
/// precision overflowing, or a native kernel miscomputing on the host.
/// </summary>
public sealed class ModelOutputException : Exception
{
    public const string NotFiniteCode = "ModelOutputNotFinite";

    public ModelOutputException(int index, long nonFinite, long outOfRange, long total, string precision)
        : base(Describe(nonFinite, outOfRange, total, precision))
    {
        Index = index;
        NonFinite = nonFinite;
        OutOfRange = outOfRange;
    }

    public string Code => NotFiniteCode;

    /// <summary>The image's position in the batch it was run in.</summary>
    public int Index { get; }

    public long NonFinite { get; }
    public long OutOfRange { get; }

    private static string Describe(long nonFinite, long outOfRange, long total, string precision)
    {
        var parts = new List<string>();
        if (nonFinite > 0) parts.Add($"{nonFinite:N0} of its {total:N0} values are NaN or infinite");
        if (outOfRange > 0) parts.Add($"{outOfRange:N0} lie outside [0, 1]");
        return $"the model's output map is not a probability map ({string.Join("; ", parts)}; {precision}); no score or verdict was made. " +
               "Check the checkpoint's weights, or rerun in fp32.";
    }

    /// <summary>Throws for the first map in <paramref name="maps"/> that is not finite and within [0, 1].</summary>
    public static void ThrowIfInvalid(IReadOnlyList<ProbabilityMap> maps, string precision)
    {
        for (int i = 0; i < maps.Count; i++)
        {
            var (nonFinite, outOfRange) = Count(maps[i].Values);
            if (nonFinite + outOfRange > 0) throw new ModelOutputException(i, nonFinite, outOfRange, maps[i].Values.Length, precision);
        }
    }

    public static (long NonFinite, long OutOfRange) Count(ReadOnlySpan<float> values)
    {
        long nonFinite = 0, outOfRange = 0;
        foreach (float v in values)
        {
            if (!float.IsFinite(v)) nonFinite++;
            else if (v is < 0f or > 1f) outOfRange++;
        }
        return (nonFinite, outOfRange);
    }
}
