using System.CommandLine;
using System.Globalization;

namespace SparseViT.Cli.Commands;

/// <summary>Options several commands share, spelled and described once.</summary>
internal static class CommonOptions
{
    public static Option<string?> Checkpoint() => new("--checkpoint", "-c")
    {
        Description = "Model checkpoint (.pth or .safetensors). Default: $SPARSEVIT_CHECKPOINT, then checkpoints/ beside the tool or in the repository, then the shipped default model.",
    };

    public static Option<string> Device() => new("--device")
    {
        Description = "auto (CUDA when available), cpu, cuda or cuda:N.",
        DefaultValueFactory = _ => "auto",
    };

    public static Option<string> Precision() => new("--precision")
    {
        Description = "fp32, bf16 or fp16.",
        DefaultValueFactory = _ => "fp32",
    };

    public static Option<int?> Threads() => new("--threads")
    {
        Description = "libtorch CPU threads (default: libtorch's choice).",
    };

    public static Option<string> Format(string defaultValue, params string[] choices)
    {
        var option = new Option<string>("--format", "-f")
        {
            Description = $"Output format: {string.Join(", ", choices)}.",
            DefaultValueFactory = _ => defaultValue,
        };
        option.AcceptOnlyFromAmong(choices);
        return option;
    }

    public static Option<string?> Output(string description) => new("--output", "-o") { Description = description };

    public static Option<bool> Quiet() => new("--quiet", "-q") { Description = "No progress or summary on stderr (errors are still reported)." };

    /// <summary>Comma-separated values, for bench's sweeps.</summary>
    public static IReadOnlyList<string> SplitList(string? text) =>
        string.IsNullOrWhiteSpace(text) ? [] : text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public static int ParsePositive(string text, string option) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int v) && v > 0
            ? v
            : throw new ArgumentException($"{option}: '{text}' is not a positive integer");
}
