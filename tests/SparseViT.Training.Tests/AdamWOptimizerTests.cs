using TorchSharp.Modules;
using static TorchSharp.torch;

namespace SparseViT.Training.Tests;

[Collection(GlobalTorchRng.Name)]
public sealed class AdamWOptimizerTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "sparsevit-adamw-" + Guid.NewGuid().ToString("N"));

    public AdamWOptimizerTests() => Directory.CreateDirectory(_dir);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    // Weights and inputs come from private generators and copies, never from the global RNG that other tests reseed.
    private static Sequential Net(int seed)
    {
        var net = nn.Sequential(nn.Linear(6, 8), nn.GELU(), nn.LayerNorm(8), nn.Linear(8, 1));
        using var generator = new Generator((ulong)seed);
        using var _ = no_grad();
        foreach (var p in net.parameters())
        {
            using var values = randn(p.shape, generator: generator);
            p.copy_(values);
        }
        return net;
    }

    private static void Backward(nn.Module<Tensor, Tensor> net, int step)
    {
        using var scope = NewDisposeScope();
        using var generator = new Generator((ulong)(1000 + step));
        var x = randn([5, 6], generator: generator);
        var y = randn([5, 1], generator: generator);
        nn.functional.mse_loss(net.forward(x), y).backward();
    }

    private static (List<Parameter> Decay, List<Parameter> NoDecay) Split(nn.Module net) =>
        (net.parameters().Where(p => p.dim() > 1).ToList(), net.parameters().Where(p => p.dim() <= 1).ToList());

    [Fact]
    public void MatchesTorchSharpsAdamWUpdateBitForBit()
    {
        // TorchSharp's own AdamW is the reference: same formula, only its scalars' lifetime differs.
        using var a = Net(4);
        using var b = Net(4);
        var (aDecay, aRest) = Split(a);
        var (bDecay, bRest) = Split(b);
        using var ours = new AdamWOptimizer([(aDecay, 0.05), (aRest, 0.0)], 1e-2);
        using var reference = optim.AdamW([
            new AdamW.ParamGroup(bDecay, new AdamW.Options { LearningRate = 1e-2, weight_decay = 0.05 }),
            new AdamW.ParamGroup(bRest, new AdamW.Options { LearningRate = 1e-2, weight_decay = 0 }),
        ], 1e-2);
        for (int step = 0; step < 6; step++)
        {
            double lr = 1e-2 * (1 - step / 10.0);
            ours.LearningRate = lr;
            foreach (var g in reference.ParamGroups) g.LearningRate = lr;
            ours.ZeroGrad();
            reference.zero_grad();
            Backward(a, step);
            Backward(b, step);
            ours.Step();
            reference.step();
        }
        Assert.Equal(6, ours.Steps);
        foreach (var ((name, p), (_, q)) in a.named_parameters().Zip(b.named_parameters()))
            Assert.True(p.data<float>().ToArray().SequenceEqual(q.data<float>().ToArray()), $"{name} differs from TorchSharp's AdamW");
    }

    [Fact]
    public void SavedStateResumesExactlyAndAMismatchIsRefused()
    {
        using var straight = Net(7);
        using var resumed = Net(7);
        var (sd, sr) = Split(straight);
        using var so = new AdamWOptimizer([(sd, 0.05), (sr, 0.0)], 5e-3);
        for (int step = 0; step < 5; step++) { so.ZeroGrad(); Backward(straight, step); so.Step(); }

        var (rd, rr) = Split(resumed);
        var first = new AdamWOptimizer([(rd, 0.05), (rr, 0.0)], 5e-3);
        for (int step = 0; step < 3; step++) { first.ZeroGrad(); Backward(resumed, step); first.Step(); }
        string path = Path.Combine(_dir, "optimizer.bin");
        first.Save(path);
        first.Dispose();
        using var second = new AdamWOptimizer([(rd, 0.05), (rr, 0.0)], 5e-3);
        second.Load(path);
        Assert.Equal(3, second.Steps);
        for (int step = 3; step < 5; step++) { second.ZeroGrad(); Backward(resumed, step); second.Step(); }
        foreach (var ((name, p), (_, q)) in straight.named_parameters().Zip(resumed.named_parameters()))
            Assert.True(p.data<float>().ToArray().SequenceEqual(q.data<float>().ToArray()), $"{name} differs after resume");

        using var other = nn.Linear(6, 3);
        using var wrong = new AdamWOptimizer([(other.parameters(), 0.0)], 1e-3);
        var e = Assert.Throws<InvalidDataException>(() => wrong.Load(path));
        Assert.Contains("optimizer.bin", e.Message);
        string foreign = Path.Combine(_dir, "foreign.bin");
        File.WriteAllBytes(foreign, [1, 2, 3]);
        Assert.Contains("not an optimizer state", Assert.Throws<InvalidDataException>(() => wrong.Load(foreign)).Message);
    }
}
