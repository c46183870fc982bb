namespace SparseViT.Forensics.Metrics;

/// <summary>
/// Area under the ROC curve as the Mann–Whitney statistic: the probability that a random positive scores higher
/// than a random negative, ties counting one half (what sklearn's roc_auc_score gives).
/// </summary>
public static class RocAuc
{
    /// <returns>Null when the labels have one class only.</returns>
    public static double? Compute(ReadOnlySpan<float> scores, ReadOnlySpan<bool> labels)
    {
        var keys = scores.ToArray();
        var values = labels.ToArray();
        return Compute(keys.Select(k => (double)k).ToArray(), values);
    }

    public static double? Compute(double[] scores, bool[] labels)
    {
        if (scores.Length != labels.Length) throw new ArgumentException($"{scores.Length} scores but {labels.Length} labels.");
        long positives = labels.LongCount(l => l), negatives = labels.Length - positives;
        if (positives == 0 || negatives == 0) return null;
        var keys = (double[])scores.Clone();
        var items = (bool[])labels.Clone();
        Array.Sort(keys, items);
        // Sum of the (average, 1-based) ranks of the positives.
        double rankSum = 0;
        for (int i = 0; i < keys.Length;)
        {
            int j = i;
            while (j + 1 < keys.Length && keys[j + 1] == keys[i]) j++;
            double rank = (i + j) / 2.0 + 1;
            for (int k = i; k <= j; k++) if (items[k]) rankSum += rank;
            i = j + 1;
        }
        return (rankSum - positives * (positives + 1) / 2.0) / ((double)positives * negatives);
    }
}
