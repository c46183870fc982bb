using System.CommandLine;
using SparseViT.Cli.Output;
using SparseViT.Engine.Imaging;
using SparseViT.Engine.Inference;
using SparseViT.Engine.IO;
using SparseViT.Forensics.Models;

namespace SparseViT.Cli.Commands;

/// <summary>`sparsevit mask`: one image's probability map as .npy (float32, H×W, C order) or 8-bit grey .png.</summary>
public static class MaskCommand
{
    public static Command Create(CliConsole console)
    {
        var image = new Argument<string>("image") { Description = "Image file." };
        var output = new Option<string>("--output", "-o") { Description = "Target file: .npy (float32 H×W) or .png (8-bit grey).", Required = true };
        output.Validators.Add(result =>
        {
            string target = result.GetValueOrDefault<string>() ?? "";
            if (Path.GetExtension(target).ToLowerInvariant() is not (".npy" or ".png")) result.AddError($"--output '{target}' must end in .npy or .png");
        });
        var resolution = new Option<string>("--resolution") { Description = "original (the image's size, Lanczos) or model (512×512).", DefaultValueFactory = _ => "original" };
        resolution.AcceptOnlyFromAmong("original", "model");
        var checkpoint = CommonOptions.Checkpoint();
        var device = CommonOptions.Device();
        var precision = CommonOptions.Precision();
        var backend = CommonOptions.Backend();
        var threads = CommonOptions.Threads();
        var command = new Command("mask", "Write the model's manipulation probability map for one image.") { image, output, resolution, checkpoint, device, precision, backend, threads };
        command.SetAction(parse =>
        {
            string target = parse.GetValue(output)!;
            string ext = Path.GetExtension(target).ToLowerInvariant();
            var options = new PredictorOptions { Device = parse.GetValue(device)!, Precision = parse.GetValue(precision), Backend = parse.GetValue(backend), Threads = console.Threads(parse.GetValue(threads)) };
            var resolved = CheckpointResolver.Resolve(parse.GetValue(checkpoint), environment: console.Environment);
            DecodedImage decoded;
            try
            {
                decoded = ImageDecoder.Decode(parse.GetValue(image)!);
            }
            catch (ImageDecodeException e)
            {
                console.Line($"sparsevit: {e.Path}: {e.Code}: {e.Message}");
                return ExitCodes.SomeFilesFailed;
            }
            using var predictor = SparseViTPredictor.Load(resolved.Path, options);
            ProbabilityMap map;
            try
            {
                map = predictor.Predict(decoded.Image);
            }
            catch (ModelOutputException e)
            {
                console.Line($"sparsevit: {Path.GetFullPath(parse.GetValue(image)!)}: {e.Code}: {e.Message}");
                return ExitCodes.SomeFilesFailed;
            }
            bool original = parse.GetValue(resolution) == "original";
            float[] values = original ? map.ToOriginalSize() : map.Values;
            int width = original ? map.OriginalWidth : map.Size, height = original ? map.OriginalHeight : map.Size;
            string full = Path.GetFullPath(target);
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            if (ext == ".npy")
            {
                using var stream = File.Create(full);
                NpyArray.WriteFloat32(stream, values, height, width);
            }
            else
            {
                GreyPng.Write(full, values, width, height);
            }
            console.Line($"sparsevit: wrote {width}×{height} map (max {values.Max():F3}) to {full}");
            return ExitCodes.Success;
        });
        return command;
    }
}
