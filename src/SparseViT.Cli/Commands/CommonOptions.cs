using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Security.Cryptography.X509Certificates;
using SparseViT.Engine.Imaging;
using SparseViT.Engine.Inference;
using SparseViT.Forensics.Provenance;

namespace SparseViT.Cli.Commands;

/// <summary>
/// Options several commands share, spelled and described once, and the parse-time checks every option gets: a bad value
/// is a usage error (exit 2) naming the flag before anything is loaded, so the layers below only ever see valid values.
/// </summary>
internal static class CommonOptions
{
    public static Option<string?> Checkpoint() => new("--checkpoint", "-c")
    {
        Description = "Model checkpoint (.pth or .safetensors). Default: $SPARSEVIT_CHECKPOINT, then checkpoints/ beside the tool or in the repository, then the shipped default model.",
    };

    public static Option<string?> Calibration() => new("--calibration")
    {
        Description = "Calibration file of the checkpoint (sparsevit calibrate). Default: <checkpoint name>.calibration.json beside the checkpoint; without one the model is uncalibrated and its map alone makes an image at most suspicious.",
    };

    public static Option<string> Device() => new("--device")
    {
        Description = "auto (CUDA when available), cpu, cuda or cuda:N.",
        DefaultValueFactory = _ => "auto",
    };

    /// <summary>--backend: what runs the network; auto is ONNX Runtime on CPU (fp32) and TorchSharp on CUDA.</summary>
    public static Option<InferenceBackend> Backend() => new("--backend")
    {
        Description = "torch (TorchSharp/libtorch), onnx (ONNX Runtime on CPU, fp32) or auto (onnx on CPU, torch on CUDA).",
        DefaultValueFactory = _ => InferenceBackend.Auto,
        CustomParser = result => Parsed(result, InferenceBackends.Parse),
    };

    public static Option<Precision> Precision() => new("--precision")
    {
        Description = "fp32, bf16 or fp16.",
        DefaultValueFactory = _ => Engine.Inference.Precision.Fp32,
        CustomParser = result => Parsed(result, PrecisionNames.Parse),
    };

    public static Option<int?> Threads() => new Option<int?>("--threads")
    {
        Description = "libtorch CPU threads (default: libtorch's choice).",
    }.AtLeast(1);

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

    /// <summary>--formats: which formats are taken from folders (ids, extensions, all, raw), checked at parse time.</summary>
    public static Option<IReadOnlyList<ImageFormat>?> Formats() => new("--formats")
    {
        Description = "Formats taken from folders, comma-separated: all (default), raw, or " +
                      string.Join(",", ImageFormat.Readable.Select(f => f.Id)) + " (or extensions). Files named explicitly are always read. See `sparsevit formats`.",
        CustomParser = result => Parsed(result, text => ImageFormat.Select(SplitList(text))),
    };

    /// <summary>--c2pa-trust: PEM trust anchors for C2PA signers, loaded (and refused) at parse time.</summary>
    public static Option<X509Certificate2Collection?> C2paTrust() => new("--c2pa-trust")
    {
        Description = "PEM file of trust anchors for C2PA (Content Credentials) signers; without it signers are verified but reported untrusted.",
        CustomParser = result => Parsed(result, path => (X509Certificate2Collection?)C2paTrustList.Load(path)),
    };

    public static Option<string?> Output(string description) => new("--output", "-o") { Description = description };

    public static Option<bool> Quiet() => new("--quiet", "-q") { Description = "No progress or summary on stderr (errors are still reported)." };

    public static Option<double> Threshold(string description) => new Option<double>("--threshold")
    {
        Description = description,
        DefaultValueFactory = _ => 0.5,
    }.Within(0, 1);

    /// <summary>Rejects values below <paramref name="minimum"/> at parse time.</summary>
    public static Option<int> AtLeast(this Option<int> option, int minimum)
    {
        option.Validators.Add(result =>
        {
            int value = result.GetValueOrDefault<int>();
            if (value < minimum) result.AddError($"{option.Name} must be at least {minimum} (got {value})");
        });
        return option;
    }

    public static Option<int?> AtLeast(this Option<int?> option, int minimum)
    {
        option.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int?>() is { } value && value < minimum) result.AddError($"{option.Name} must be at least {minimum} (got {value})");
        });
        return option;
    }

    public static Option<double> Within(this Option<double> option, double minimum, double maximum)
    {
        option.Validators.Add(result =>
        {
            double value = result.GetValueOrDefault<double>();
            if (!(value >= minimum && value <= maximum))
                result.AddError(string.Create(CultureInfo.InvariantCulture, $"{option.Name} must be within {minimum}..{maximum} (got {value})"));
        });
        return option;
    }

    public static Option<double> Positive(this Option<double> option)
    {
        option.Validators.Add(result =>
        {
            double value = result.GetValueOrDefault<double>();
            if (!(value > 0)) result.AddError(string.Create(CultureInfo.InvariantCulture, $"{option.Name} must be positive (got {value})"));
        });
        return option;
    }

    public static Option<double> NotNegative(this Option<double> option)
    {
        option.Validators.Add(result =>
        {
            double value = result.GetValueOrDefault<double>();
            if (!(value >= 0)) result.AddError(string.Create(CultureInfo.InvariantCulture, $"{option.Name} must be 0 or more (got {value})"));
        });
        return option;
    }

    /// <summary>
    /// A value converted by <paramref name="parse"/> (which throws <see cref="ArgumentException"/> with a value-level
    /// message); a failure becomes a parse error that names the option and the text given.
    /// </summary>
    public static T Parsed<T>(ArgumentResult result, Func<string, T> parse)
    {
        string text = result.Tokens.Count > 0 ? result.Tokens[^1].Value : "";
        try
        {
            return parse(text);
        }
        catch (Exception e) when (e is ArgumentException or FormatException or IOException or InvalidDataException)
        {
            string name = result.Parent is OptionResult option ? option.Option.Name : result.Argument.Name;
            result.AddError($"{name} '{text}': {e.Message}");
            return default!;
        }
    }

    /// <summary>Comma-separated values, for bench's sweeps, each converted at parse time.</summary>
    public static IReadOnlyList<T> ParsedList<T>(ArgumentResult result, Func<string, T> parse) =>
        Parsed(result, text => (IReadOnlyList<T>)SplitList(text).Select(parse).ToList());

    public static IReadOnlyList<string> SplitList(string? text) =>
        string.IsNullOrWhiteSpace(text) ? [] : text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public static int ParsePositive(string text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int v) && v > 0
            ? v
            : throw new ArgumentException($"'{text}' is not a positive integer");
}
