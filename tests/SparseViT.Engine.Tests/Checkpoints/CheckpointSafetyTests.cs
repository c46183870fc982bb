using SparseViT.Engine.Checkpoints;
using SparseViT.Engine.Checkpoints.Pickle;

namespace SparseViT.Engine.Tests.Checkpoints;

public class CheckpointSafetyTests
{
    // What the hostile fixture's pickle would run (seen with pickletools): os.system("echo … > /tmp/sparsevit_pwned").
    private const string HostileMarker = "/tmp/sparsevit_pwned";

    [Fact]
    public void HostileCheckpointIsRefusedAndRunsNothing()
    {
        if (File.Exists(HostileMarker)) File.Delete(HostileMarker);
        var ex = Assert.Throws<CheckpointException>(() => CheckpointLoader.Load(Fixtures.Tiny("hostile-code-exec.pth")));
        Assert.Equal(CheckpointErrorCodes.RefusedGlobal, ex.Code);
        Assert.Contains("system", ex.Message);
        Assert.Equal("hostile-code-exec.pth: refused pickle global 'posix.system' (only state-dict globals are allowed); nothing was executed", ex.Message);
        Assert.EndsWith("hostile-code-exec.pth", ex.Path);
        Assert.False(File.Exists(HostileMarker), "the hostile command ran");
    }

    [Theory]
    [InlineData("os", "system")]
    [InlineData("builtins", "eval")]
    [InlineData("builtins", "getattr")]
    [InlineData("subprocess", "Popen")]
    [InlineData("torch", "load")]
    [InlineData("torch.nn.modules.conv", "Conv2d")]
    [InlineData("numpy.core.multiarray", "_reconstruct")]
    public void NonAllowListedGlobalsAreRefusedOnSight(string module, string name)
    {
        // Refused at GLOBAL / STACK_GLOBAL, before any argument is even read.
        var viaGlobal = new PickleBuilder().Proto().Global(module, name).Raw(0xFF).ToArray();
        var ex = Assert.Throws<CheckpointException>(() => RestrictedUnpickler.Load(viaGlobal, "x.pth"));
        Assert.Equal(CheckpointErrorCodes.RefusedGlobal, ex.Code);
        Assert.Contains($"'{module}.{name}'", ex.Message);

        var viaStack = new PickleBuilder().Proto(4).Str(module).Str(name).StackGlobal().Raw(0xFF).ToArray();
        ex = Assert.Throws<CheckpointException>(() => RestrictedUnpickler.Load(viaStack, "x.pth"));
        Assert.Equal(CheckpointErrorCodes.RefusedGlobal, ex.Code);
    }

    [Fact]
    public void UnsupportedTorchTensorKindsAreNamed()
    {
        var p = new PickleBuilder().Proto().Global("torch._utils", "_rebuild_qtensor").Raw(0xFF).ToArray();
        var ex = Assert.Throws<CheckpointException>(() => RestrictedUnpickler.Load(p, "q.pth"));
        Assert.Equal(CheckpointErrorCodes.Unsupported, ex.Code);
        Assert.Contains("torch._utils._rebuild_qtensor", ex.Message);
    }

    [Fact]
    public void LegacyViewStoragesAreSlicedFromTheirRecord()
    {
        // Legacy layout: magic, protocol version, sys_info, main pickle, key list, then records.
        // The tensor's storage is a view [2, 2+3) of record 'root' (5 floats).
        var magic = new PickleBuilder().Proto().Op(0x8a).Raw(10).Raw(0x6c, 0xfc, 0x9c, 0x46, 0xf9, 0x20, 0x6a, 0xa8, 0x50, 0x19).Stop();
        var version = new PickleBuilder().Proto().Op((byte)'M').Raw(0xe9, 0x03).Stop();
        var sysInfo = new PickleBuilder().Proto().EmptyDict().Str("little_endian").Op(0x88).SetItem().Stop();
        var main = new PickleBuilder().Proto().EmptyDict().Str("w")
            .Global("torch._utils", "_rebuild_tensor_v2").Mark()
            .Mark().Str("storage").Global("torch", "FloatStorage").Str("root").Str("cuda:0").Int(5)
            .Mark().Str("view").Int(2).Int(3).Tuple().Tuple().BinPersId()
            .Int(1).Ints(2).Ints(1).False().Global("collections", "OrderedDict").EmptyTuple().Reduce().Tuple().Reduce()
            .SetItem().Stop();
        var keys = new PickleBuilder().Proto().Op((byte)']').Str("root").Op((byte)'a').Stop();
        using var dir = new TempDir();
        string path = dir.File("legacy-view.pt");
        using (var fs = File.Create(path))
        {
            foreach (var p in new[] { magic, version, sysInfo, main, keys }) fs.Write(p.ToArray());
            fs.Write(BitConverter.GetBytes(5L));
            fs.Write(PickleBuilder.Floats(10, 11, 12, 13, 14));
        }
        var ck = CheckpointLoader.Load(path, validate: false);
        Assert.Equal(CheckpointFormat.PyTorchLegacy, ck.Format);
        Assert.Equal("bare state dict", ck.Layout);
        Assert.Equal([13f, 14f], ck.StateDict["w"].ToFloat32());
    }

    [Fact]
    public void NamespaceIsKeptAsInertData()
    {
        var p = new PickleBuilder().Proto().Global("argparse", "Namespace").EmptyTuple().Op(0x81)
            .EmptyDict().Mark().Str("head_dim").Int(16).Str("lr").None().SetItems().Op((byte)'b').Stop().ToArray();
        var o = Assert.IsType<PyObject>(RestrictedUnpickler.Load(p, null));
        Assert.Equal("argparse.Namespace", o.ClassName);
        Assert.True(o.TryGetAttribute("head_dim", out var hd));
        Assert.Equal(16L, hd);
    }

    [Fact]
    public void TruncatedCheckpointNamesTheFile()
    {
        var ex = Assert.Throws<CheckpointException>(() => CheckpointLoader.Load(Fixtures.Tiny("broken-truncated.pth")));
        Assert.Equal(CheckpointErrorCodes.Truncated, ex.Code);
        Assert.StartsWith("broken-truncated.pth: ", ex.Message);
        Assert.Contains("truncated", ex.Message);
    }

    [Fact]
    public void EmptyRandomAndMissingFilesGiveSpecificErrors()
    {
        using var dir = new TempDir();
        string empty = dir.File("empty.pth");
        File.WriteAllBytes(empty, []);
        var ex = Assert.Throws<CheckpointException>(() => CheckpointLoader.Load(empty));
        Assert.Equal(CheckpointErrorCodes.Empty, ex.Code);
        Assert.Equal("empty.pth: the file is empty (0 bytes)", ex.Message);

        string random = dir.File("random.pth");
        var bytes = new byte[4096];
        new Random(1234).NextBytes(bytes);
        bytes[0] = 0x13; // not P, not PROTO
        bytes[8] = 0x00; // not '{'
        File.WriteAllBytes(random, bytes);
        ex = Assert.Throws<CheckpointException>(() => CheckpointLoader.Load(random));
        Assert.Equal(CheckpointErrorCodes.UnrecognizedFormat, ex.Code);
        Assert.StartsWith("random.pth: not a PyTorch (zip or legacy) or safetensors checkpoint: it starts with bytes 13", ex.Message);

        ex = Assert.Throws<CheckpointException>(() => CheckpointLoader.Load(dir.File("absent.pth")));
        Assert.Equal(CheckpointErrorCodes.NotFound, ex.Code);
        Assert.Contains("absent.pth", ex.Message);
    }

    [Fact]
    public void TruncatedLegacyCheckpointIsReported()
    {
        using var dir = new TempDir();
        var data = File.ReadAllBytes(Fixtures.Tiny("variant-legacy.pth"));
        foreach (int keep in new[] { 10, 5000, data.Length - 100 })
        {
            string p = dir.File($"legacy-{keep}.pth");
            File.WriteAllBytes(p, data[..keep]);
            var ex = Assert.Throws<CheckpointException>(() => CheckpointLoader.Load(p));
            Assert.Equal(CheckpointErrorCodes.Truncated, ex.Code);
            Assert.StartsWith($"legacy-{keep}.pth: ", ex.Message);
        }
    }

    [Fact]
    public void PickleLengthsAreCheckedAgainstTheInput()
    {
        // BINUNICODE claiming 4 GB in a 20-byte pickle: refused without allocating.
        var p = new PickleBuilder().Proto().Op((byte)'X').Raw(0xFF, 0xFF, 0xFF, 0xFF).Raw(0x41).ToArray();
        var ex = Assert.Throws<CheckpointException>(() => RestrictedUnpickler.Load(p, "big.pth"));
        Assert.Equal(CheckpointErrorCodes.Truncated, ex.Code);

        // No STOP.
        ex = Assert.Throws<CheckpointException>(() => RestrictedUnpickler.Load(new PickleBuilder().Proto().EmptyDict().ToArray(), "nostop.pth"));
        Assert.Equal(CheckpointErrorCodes.Truncated, ex.Code);

        // Memo read that was never written.
        ex = Assert.Throws<CheckpointException>(() => RestrictedUnpickler.Load(new PickleBuilder().Proto().Op((byte)'h').Raw(7).Stop().ToArray(), "memo.pth"));
        Assert.Equal(CheckpointErrorCodes.Corrupt, ex.Code);
        Assert.Contains("memo entry 7", ex.Message);

        // Unknown opcode.
        ex = Assert.Throws<CheckpointException>(() => RestrictedUnpickler.Load(new PickleBuilder().Proto().Raw(0xFE).ToArray(), "op.pth"));
        Assert.Equal(CheckpointErrorCodes.Corrupt, ex.Code);
    }

    [Fact]
    public void PickleResourceLimitsApply()
    {
        var marks = new PickleBuilder().Proto();
        for (int i = 0; i < 200; i++) marks.Mark();
        var ex = Assert.Throws<CheckpointException>(() =>
            new RestrictedUnpickler(marks.ToArray(), "deep.pth", limits: new UnpicklerLimits { MaxMarkDepth = 100 }).Load());
        Assert.Equal(CheckpointErrorCodes.LimitExceeded, ex.Code);

        var many = new PickleBuilder().Proto();
        for (int i = 0; i < 200; i++) many.None();
        ex = Assert.Throws<CheckpointException>(() =>
            new RestrictedUnpickler(many.ToArray(), "wide.pth", limits: new UnpicklerLimits { MaxStackDepth = 100 }).Load());
        Assert.Equal(CheckpointErrorCodes.LimitExceeded, ex.Code);

        var memo = new PickleBuilder().Proto().None();
        for (int i = 0; i < 200; i++) memo.Op((byte)'q').Raw((byte)i);
        ex = Assert.Throws<CheckpointException>(() =>
            new RestrictedUnpickler(memo.ToArray(), "memo.pth", limits: new UnpicklerLimits { MaxMemoEntries = 100 }).Load());
        Assert.Equal(CheckpointErrorCodes.LimitExceeded, ex.Code);
    }

    private static byte[] SingleTensorPickle(long numel, long offset, long[] size, long[] stride, string key = "0") =>
        new PickleBuilder().Proto().EmptyDict().Str("w").Tensor("FloatStorage", key, numel, offset, size, stride).SetItem().Stop().ToArray();

    private static CheckpointTensor LoadSingle(TempDir dir, byte[] pickle, params (string, byte[])[] storages)
    {
        string path = dir.File("single.pth");
        PickleBuilder.WriteZip(path, pickle, storages);
        var ck = CheckpointLoader.Load(path, validate: false);
        return ck.StateDict["w"];
    }

    [Fact]
    public void StridedViewsAreCopiedInLogicalOrder()
    {
        using var dir = new TempDir();
        // A transposed 2×3 view of a 3×2 storage [[0,1],[2,3],[4,5]], starting one element in.
        var data = PickleBuilder.Floats(9, 0, 1, 2, 3, 4, 5);
        var t = LoadSingle(dir, SingleTensorPickle(7, 1, [2, 3], [1, 2]), ("0", data));
        Assert.Equal([2L, 3], t.Shape);
        Assert.Equal([0f, 2, 4, 1, 3, 5], t.ToFloat32());
    }

    [Fact]
    public void OverlappingOrOutOfRangeViewsAreRefused()
    {
        using var dir = new TempDir();
        var data = PickleBuilder.Floats(0, 1, 2, 3);
        var ex = Assert.Throws<CheckpointException>(() => LoadSingle(dir, SingleTensorPickle(4, 0, [2, 2], [0, 1]), ("0", data)));
        Assert.Equal(CheckpointErrorCodes.Unsupported, ex.Code);
        Assert.Contains("overlap", ex.Message);

        ex = Assert.Throws<CheckpointException>(() => LoadSingle(dir, SingleTensorPickle(4, 2, [2, 2], [2, 1]), ("0", data)));
        Assert.Equal(CheckpointErrorCodes.Corrupt, ex.Code);
        Assert.Contains("'w'", ex.Message);

        // The pickle claims more elements than the record holds.
        ex = Assert.Throws<CheckpointException>(() => LoadSingle(dir, SingleTensorPickle(1_000_000_000, 0, [4], [1]), ("0", data)));
        Assert.Equal(CheckpointErrorCodes.Corrupt, ex.Code);
        Assert.Contains("storage '0' holds 16 bytes", ex.Message);

        // The record is missing altogether.
        ex = Assert.Throws<CheckpointException>(() => LoadSingle(dir, SingleTensorPickle(4, 0, [4], [1], key: "9"), ("0", data)));
        Assert.Equal(CheckpointErrorCodes.Corrupt, ex.Code);
        Assert.Contains("archive/data/9", ex.Message);
    }

    [Fact]
    public void WholeModelPicklesAreNotStateDicts()
    {
        using var dir = new TempDir();
        string path = dir.File("list.pth");
        PickleBuilder.WriteZip(path, new PickleBuilder().Proto().Op((byte)']').Stop().ToArray());
        var ex = Assert.Throws<CheckpointException>(() => CheckpointLoader.Load(path));
        Assert.Equal(CheckpointErrorCodes.Unsupported, ex.Code);
        Assert.Contains("not a state dict", ex.Message);
    }
}
