namespace SparseViT.Cli;

/// <summary>The process exit codes, documented in README and --help. One place so every command agrees.</summary>
public static class ExitCodes
{
    /// <summary>Completed; nothing found at the --fail-on level.</summary>
    public const int Success = 0;

    /// <summary>Findings at or above the --fail-on level.</summary>
    public const int Findings = 1;

    /// <summary>The command line was wrong (unknown option, bad value).</summary>
    public const int UsageError = 2;

    /// <summary>Completed, but some files could not be processed (each has an error record).</summary>
    public const int SomeFilesFailed = 3;

    /// <summary>Could not run at all: no checkpoint, refused checkpoint, native runtime missing, output not writable.</summary>
    public const int Fatal = 4;

    public const string HelpText =
        "Exit codes: 0 nothing found, 1 findings at the --fail-on level, 2 usage error, 3 some files failed, 4 fatal.";
}
