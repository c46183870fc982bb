using System.Text.Json;
using SparseViT.Engine.Checkpoints;
using SparseViT.Training.Evaluation;
using static TorchSharp.torch;

namespace SparseViT.Training;

/// <summary>
/// The checkpoints a run leaves in its output folder: <c>checkpoint-NNNNNN</c> (the newest few), <c>latest</c>, and
/// <c>best</c> by held-out pixel-F1 with its fp16 safetensors copy. All go through <see cref="CheckpointExporter"/>.
/// </summary>
public sealed class TrainingCheckpoints(TrainingOptions options, TextWriter log)
{
    private string Extension => options.Format == CheckpointFileFormat.Safetensors ? ".safetensors" : ".pth";
    private TensorDType FloatType => options.HalfPrecisionExport ? TensorDType.Float16 : TensorDType.Float32;

    /// <summary>Writes the step's checkpoint and <c>latest</c>, drops the oldest beyond the number kept; returns the path.</summary>
    public string Export(nn.Module model, int step)
    {
        var tensors = CheckpointExporter.FromModule(model, FloatType);
        string path = Path.Combine(options.OutputDir, $"checkpoint-{step:D6}{Extension}");
        CheckpointExporter.Write(path, tensors, options.Format, step, options.Config);
        File.Copy(path, Path.Combine(options.OutputDir, "latest" + Extension), overwrite: true);
        var old = Directory.GetFiles(options.OutputDir, "checkpoint-*" + Extension).OrderBy(f => f, StringComparer.Ordinal).ToList();
        foreach (var f in old.Take(Math.Max(0, old.Count - options.KeepCheckpoints))) File.Delete(f);
        log.WriteLine($"train: wrote {path}");
        return path;
    }

    /// <summary>Keeps <c>best</c> when <paramref name="result"/> beats the pixel-F1 recorded in best.json.</summary>
    public void TrackBest(nn.Module model, int step, SyntheticEvaluationResult result)
    {
        string bestJson = Path.Combine(options.OutputDir, "best.json");
        double best = -1;
        if (File.Exists(bestJson)) best = JsonDocument.Parse(File.ReadAllText(bestJson)).RootElement.GetProperty("f1").GetDouble();
        if (result.MeanF1 <= best) return;
        string path = Path.Combine(options.OutputDir, "best" + Extension);
        CheckpointExporter.Write(path, CheckpointExporter.FromModule(model, FloatType), options.Format, step, options.Config);
        // A half-precision copy is what ships as the default model: half the size, same decisions at threshold 0.5.
        CheckpointExporter.Write(Path.Combine(options.OutputDir, "best-fp16.safetensors"), CheckpointExporter.FromModule(model, TensorDType.Float16),
            CheckpointFileFormat.Safetensors, step, options.Config);
        File.WriteAllText(bestJson, JsonSerializer.Serialize(new { step, f1 = result.MeanF1, iou = result.MeanIoU, loss = result.MeanLoss, count = result.Count, summary = result.ToString() }));
        log.WriteLine($"train: new best pixel-F1 {result.MeanF1:F4} → {path}");
    }
}
