using SparseViT.Engine.Native;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SparseViT.Training;

/// <summary>
/// AdamW (decoupled weight decay; PyTorch's and TorchSharp's update, term for term) whose scalars live as long as the
/// native calls that read them.
/// </summary>
/// <remarks>
/// It replaces TorchSharp 0.107's AdamW, which passes every coefficient as a temporary scalar a concurrent garbage
/// collection can free mid-call (<see cref="NativeScalars"/>); here each scalar is a local disposed after its last use.
/// </remarks>
public sealed class AdamWOptimizer : IDisposable
{
    private const string Magic = "sparsevit-adamw-1";
    private readonly List<Slot> _slots = [];

    public AdamWOptimizer(IEnumerable<(IEnumerable<Parameter> Parameters, double WeightDecay)> groups, double learningRate,
                          double beta1 = 0.9, double beta2 = 0.999, double eps = 1e-8)
    {
        if (learningRate <= 0) throw new ArgumentOutOfRangeException(nameof(learningRate));
        if (beta1 is < 0 or >= 1 || beta2 is < 0 or >= 1) throw new ArgumentOutOfRangeException(nameof(beta1), "betas must be in [0, 1)");
        LearningRate = learningRate;
        Beta1 = beta1;
        Beta2 = beta2;
        Eps = eps;
        using var _ = no_grad();
        foreach (var (parameters, weightDecay) in groups)
            foreach (var p in parameters)
                _slots.Add(new Slot(p, weightDecay, zeros_like(p).DetachFromDisposeScope(), zeros_like(p).DetachFromDisposeScope()));
    }

    public double LearningRate { get; set; }
    public double Beta1 { get; }
    public double Beta2 { get; }
    public double Eps { get; }

    /// <summary>Updates taken so far (the bias corrections' t).</summary>
    public long Steps { get; private set; }

    public void ZeroGrad()
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        foreach (var slot in _slots)
            slot.Parameter.grad?.zero_();
    }

    public void Step()
    {
        using var _ = no_grad();
        using var scope = NewDisposeScope();
        Steps++;
        double lr = LearningRate;
        double correction1 = 1 - Math.Pow(Beta1, Steps), correction2 = 1 - Math.Pow(Beta2, Steps);
        using var beta1 = Beta1.ToScalar();
        using var oneMinusBeta1 = (1 - Beta1).ToScalar();
        using var beta2 = Beta2.ToScalar();
        using var oneMinusBeta2 = (1 - Beta2).ToScalar();
        using var sqrtCorrection2 = Math.Sqrt(correction2).ToScalar();
        using var eps = Eps.ToScalar();
        using var negativeStep = (-lr / correction1).ToScalar();
        var decays = new Dictionary<double, Scalar>();
        try
        {
            foreach (var slot in _slots)
            {
                var grad = slot.Parameter.grad;
                if (grad is null) continue;
                if (slot.WeightDecay > 0)
                {
                    if (!decays.TryGetValue(slot.WeightDecay, out var decay)) decays[slot.WeightDecay] = decay = (1 - lr * slot.WeightDecay).ToScalar();
                    slot.Parameter.mul_(decay);
                }
                slot.ExpAvg.mul_(beta1).add_(grad, alpha: oneMinusBeta1);
                slot.ExpAvgSq.mul_(beta2).addcmul_(grad, grad, value: oneMinusBeta2);
                var denom = slot.ExpAvgSq.sqrt().div_(sqrtCorrection2).PlusInPlace(eps);
                slot.Parameter.addcdiv_(slot.ExpAvg, denom, value: negativeStep);
            }
        }
        finally
        {
            foreach (var s in decays.Values) s.Dispose();
        }
    }

    /// <summary>Writes the step count and both moments of every parameter (moved to the CPU as they are written).</summary>
    public void Save(string path)
    {
        using var writer = new BinaryWriter(File.Create(path));
        writer.Write(Magic);
        writer.Write(Steps);
        writer.Write(_slots.Count);
        foreach (var slot in _slots)
        {
            slot.ExpAvg.Save(writer);
            slot.ExpAvgSq.Save(writer);
        }
    }

    /// <summary>Reads what <see cref="Save"/> wrote into the moments on their device; a different model is refused.</summary>
    public void Load(string path)
    {
        using var reader = new BinaryReader(File.OpenRead(path));
        string magic;
        try { magic = reader.ReadString(); }
        catch (Exception e) when (e is EndOfStreamException or IOException) { magic = ""; }
        if (magic != Magic)
            throw new InvalidDataException($"{path}: not an optimizer state of this version (a run saved by an older release cannot be resumed; start a new run initialized from its latest checkpoint)");
        long steps = reader.ReadInt64();
        int count = reader.ReadInt32();
        if (count != _slots.Count) throw new InvalidDataException($"{path}: optimizer state for {count} parameters, the model has {_slots.Count}");
        try
        {
            foreach (var slot in _slots)
            {
                slot.ExpAvg.Load(reader);
                slot.ExpAvgSq.Load(reader);
            }
        }
        catch (ArgumentException e)
        {
            throw new InvalidDataException($"{path}: optimizer state does not match the model ({e.Message})", e);
        }
        Steps = steps;
    }

    public void Dispose()
    {
        foreach (var slot in _slots)
        {
            slot.ExpAvg.Dispose();
            slot.ExpAvgSq.Dispose();
        }
        _slots.Clear();
    }

    /// <summary>
    /// Parameter groups as timm's optimizer factory makes them for the authors: 1-D tensors (biases, norm affine, gamma
    /// scales) are not decayed, everything else is.
    /// </summary>
    public static (List<Parameter> Decay, List<Parameter> NoDecay) SplitForWeightDecay(nn.Module model)
    {
        var decay = new List<Parameter>();
        var noDecay = new List<Parameter>();
        foreach (var (_, p) in model.named_parameters())
            (p.dim() <= 1 ? noDecay : decay).Add(p);
        return (decay, noDecay);
    }

    private sealed record Slot(Parameter Parameter, double WeightDecay, Tensor ExpAvg, Tensor ExpAvgSq);
}
