namespace SparseViT.Cli;

/// <summary>Which results make `scan` exit non-zero; see <see cref="ExitCodes"/>.</summary>
public enum FailOn { Manipulated, Suspicious, Error, Never }
