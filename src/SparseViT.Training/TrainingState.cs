using System.Text.Json;
using SparseViT.Engine.Model;
using static TorchSharp.torch;

namespace SparseViT.Training;

/// <summary>
/// The resumable state of a run in <c>&lt;output&gt;/train-state/</c>: weights and optimizer moments in libtorch's own
/// format (bit-exact, including moments no checkpoint carries) and the step, configuration and seed as JSON.
/// </summary>
public sealed class TrainingState
{
    private sealed record StateFile(int Step, string Config, int Seed, int BatchSize, int Accumulate);

    public TrainingState(string outputDirectory) => Directory = Path.Combine(outputDirectory, "train-state");

    public string Directory { get; }

    public string ModelFile => Path.Combine(Directory, "model.bin");
    public string OptimizerFile => Path.Combine(Directory, "optimizer.bin");
    private string StateJson => Path.Combine(Directory, "state.json");

    public bool Exists => File.Exists(StateJson);

    /// <summary>Saves everything under temporary names, then renames, so an interrupted save leaves the previous state intact.</summary>
    public void Save(nn.Module model, AdamWOptimizer optimizer, int step, TrainingOptions options)
    {
        System.IO.Directory.CreateDirectory(Directory);
        string modelTmp = ModelFile + ".tmp", optTmp = OptimizerFile + ".tmp", jsonTmp = StateJson + ".tmp";
        model.save(modelTmp);
        optimizer.Save(optTmp);
        File.WriteAllText(jsonTmp, JsonSerializer.Serialize(new StateFile(step, options.Config.ToJson(), options.Seed, options.BatchSize, options.Accumulate)));
        File.Move(modelTmp, ModelFile, true);
        File.Move(optTmp, OptimizerFile, true);
        File.Move(jsonTmp, StateJson, true);
    }

    /// <summary>The saved step, after loading the saved weights into <paramref name="model"/> (whose configuration must be the saved one).</summary>
    public int LoadWeights(nn.Module model, SparseViTConfig config)
    {
        var state = JsonSerializer.Deserialize<StateFile>(File.ReadAllText(StateJson)) ?? throw new InvalidDataException("unreadable " + StateJson);
        var saved = JsonSerializer.Deserialize<SparseViTConfig>(state.Config)!;
        if (!saved.Equals(config)) throw new ArgumentException($"cannot resume: the saved run in {Directory} uses {saved}, not {config}");
        model.load(ModelFile);
        return state.Step;
    }
}
