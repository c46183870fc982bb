namespace SparseViT.Engine.Checkpoints;

/// <summary>Differences between a state dict and what a configuration expects, by name.</summary>
public sealed record StateDictMismatch(
    IReadOnlyList<string> Missing,
    IReadOnlyList<string> Unexpected,
    IReadOnlyList<(string Name, long[] Actual, long[] Expected)> ShapeMismatches)
{
    public bool IsMatch => Missing.Count == 0 && Unexpected.Count == 0 && ShapeMismatches.Count == 0;

    public override string ToString()
    {
        const int show = 10;
        static string More(int n) => n > show ? $", … {n - show} more" : "";
        var parts = new List<string>();
        if (Missing.Count > 0) parts.Add($"{Missing.Count} missing ({string.Join(", ", Missing.Take(show))}{More(Missing.Count)})");
        if (Unexpected.Count > 0) parts.Add($"{Unexpected.Count} unexpected ({string.Join(", ", Unexpected.Take(show))}{More(Unexpected.Count)})");
        if (ShapeMismatches.Count > 0)
            parts.Add($"{ShapeMismatches.Count} with the wrong shape ({string.Join(", ", ShapeMismatches.Take(show).Select(m => $"{m.Name}: [{string.Join(",", m.Actual)}] but the model has [{string.Join(",", m.Expected)}]"))}{More(ShapeMismatches.Count)})");
        return parts.Count == 0 ? "state dict matches" : string.Join("; ", parts);
    }
}
