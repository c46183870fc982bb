namespace SparseViT.Cli;

public static class FailOnPolicy
{
    public static readonly string[] Names = ["manipulated", "suspicious", "error", "never"];

    public static FailOn Parse(string text) => text.Trim().ToLowerInvariant() switch
    {
        "manipulated" => FailOn.Manipulated,
        "suspicious" => FailOn.Suspicious,
        "error" => FailOn.Error,
        "never" => FailOn.Never,
        _ => throw new ArgumentException($"--fail-on '{text}' (expected {string.Join(", ", Names)})"),
    };

    /// <summary>
    /// Findings at the level win over failed files (1 before 3): a manipulated image found is the stronger signal.
    /// `error` ignores verdicts; `never` reports 0 whatever was found or failed.
    /// </summary>
    public static int ExitCode(FailOn level, int manipulated, int suspicious, int failed) => level switch
    {
        FailOn.Never => ExitCodes.Success,
        FailOn.Manipulated when manipulated > 0 => ExitCodes.Findings,
        FailOn.Suspicious when manipulated + suspicious > 0 => ExitCodes.Findings,
        _ when failed > 0 => ExitCodes.SomeFilesFailed,
        _ => ExitCodes.Success,
    };
}
