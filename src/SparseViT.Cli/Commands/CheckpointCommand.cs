using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using SparseViT.Cli.Output;
using SparseViT.Engine.Checkpoints;

namespace SparseViT.Cli.Commands;

/// <summary>`sparsevit checkpoint inspect|convert`: look at or re-save a checkpoint without loading libtorch.</summary>
public static class CheckpointCommand
{
    public static Command Create(CliConsole console)
    {
        var command = new Command("checkpoint", "Inspect or convert SparseViT checkpoints (.pth, .safetensors). Refused or corrupt files exit 4 with the reason on stderr.");
        command.Add(Inspect(console));
        command.Add(Convert(console));
        return command;
    }

    private static Command Inspect(CliConsole console)
    {
        var file = new Argument<string>("file") { Description = "Checkpoint to inspect." };
        var format = CommonOptions.Format("text", "text", "json");
        var command = new Command("inspect", "Entries, trainable parameters, inferred configuration, dtypes, layout and SHA-256 of a checkpoint.") { file, format };
        command.SetAction(parse =>
        {
            string path = parse.GetValue(file)!;
            // A refused or corrupt file propagates to CliHost: exit 4, the reason and its code on stderr.
            var checkpoint = CheckpointLoader.Load(path);
            var report = Describe(checkpoint);
            if (parse.GetValue(format) == "json") console.Out.WriteLine(report.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
            else WriteText(report, console.Out);
            return ExitCodes.Success;
        });
        return command;
    }

    internal static JsonObject Describe(LoadedCheckpoint c) => new()
    {
        ["path"] = Path.GetFullPath(c.Path),
        ["format"] = c.Format.ToString(),
        ["layout"] = c.Layout,
        ["sha256"] = c.Sha256,
        ["entries"] = new JsonArray(c.Entries.Select(e => (JsonNode?)JsonValue.Create(e)).ToArray()),
        ["tensors"] = c.StateDict.Count,
        ["trainableParameters"] = c.TrainableParameterCount,
        ["dtypes"] = new JsonArray(c.SourceDTypes.Select(d => (JsonNode?)JsonValue.Create(Safetensors.DTypeName(d))).ToArray()),
        ["configuration"] = c.Configuration is null ? null : new JsonObject
        {
            ["depths"] = new JsonArray(c.Configuration.Depths.Select(d => (JsonNode?)JsonValue.Create(d)).ToArray()),
            ["channels"] = new JsonArray(c.Configuration.Channels.Select(d => (JsonNode?)JsonValue.Create(d)).ToArray()),
            ["headDim"] = c.Configuration.HeadDim,
            ["mlpRatio"] = c.Configuration.MlpRatio,
            ["imageSize"] = c.Configuration.ImageSize,
        },
        ["configurationSource"] = c.ConfigurationSource,
        ["metadata"] = new JsonObject(c.Metadata.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)JsonValue.Create(kv.Value)))),
    };

    private static void WriteText(JsonObject report, TextWriter output)
    {
        foreach (var (key, value) in report)
        {
            string text = value switch
            {
                null => "-",
                JsonArray array => string.Join(", ", array.Select(v => v?.ToString())),
                JsonObject obj when key == "configuration" => string.Join("; ", obj.Select(kv => $"{kv.Key} {(kv.Value is JsonArray a ? "[" + string.Join(",", a.Select(x => x?.ToString())) + "]" : kv.Value?.ToString())}")),
                JsonObject obj => obj.Count == 0 ? "-" : string.Join("; ", obj.Select(kv => $"{kv.Key}={kv.Value}")),
                _ => value.ToString(),
            };
            output.WriteLine($"{key,-20} {text}");
        }
    }

    private static Command Convert(CliConsole console)
    {
        var input = new Argument<string>("input") { Description = "Checkpoint to read (.pth or .safetensors)." };
        var output = new Option<string>("--output", "-o") { Description = "Target .safetensors file.", Required = true };
        output.Validators.Add(result =>
        {
            string target = result.GetValueOrDefault<string>() ?? "";
            if (!target.EndsWith(".safetensors", StringComparison.OrdinalIgnoreCase)) result.AddError($"--output '{target}' must end in .safetensors");
        });
        var half = new Option<bool>("--fp16") { Description = "Store floating-point weights as float16 (half the size; how the shipped default is stored)." };
        var command = new Command("convert", "Re-save the model weights (float32, or float16 with --fp16; names normalized) as safetensors: no pickle, memory-mappable.") { input, output, half };
        command.SetAction(parse =>
        {
            string source = parse.GetValue(input)!, target = parse.GetValue(output)!;
            // A refused or corrupt file propagates to CliHost: exit 4, the reason and its code on stderr.
            var checkpoint = CheckpointLoader.Load(source);
            var metadata = new Dictionary<string, string>
            {
                ["source_sha256"] = checkpoint.Sha256,
                ["source_file"] = Path.GetFileName(source),
            };
            // The configuration travels along, so the converted file loads without inference from tensor shapes.
            if (checkpoint.Configuration is { } configuration) metadata["sparsevit_config"] = configuration.ToJson();
            foreach (var key in new[] { "step", "epoch" })
                if (checkpoint.Metadata.TryGetValue(key, out var value)) metadata[key] = value;
            var tensors = parse.GetValue(half) ? checkpoint.StateDict.ToFloat16() : checkpoint.ToFloat32StateDict();
            CheckpointExporter.Write(target, tensors, CheckpointFileFormat.Safetensors, metadata: metadata);
            console.Line($"sparsevit: wrote {checkpoint.StateDict.Count} tensors ({checkpoint.TrainableParameterCount:N0} trainable parameters) to {Path.GetFullPath(target)}");
            return ExitCodes.Success;
        });
        return command;
    }
}
