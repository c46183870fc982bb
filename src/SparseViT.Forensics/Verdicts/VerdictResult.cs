namespace SparseViT.Forensics.Verdicts;

/// <summary>A verdict and the reasons for it, in the order the rules were applied.</summary>
public sealed record VerdictResult(Verdict Verdict, IReadOnlyList<string> Reasons);
