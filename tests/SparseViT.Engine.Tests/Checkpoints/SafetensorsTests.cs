using System.Buffers.Binary;
using System.Text;
using SparseViT.Engine.Checkpoints;

namespace SparseViT.Engine.Tests.Checkpoints;

public class SafetensorsTests
{
    [Fact]
    public void FixtureStateDictRoundTrips()
    {
        var source = CheckpointLoader.Load(Fixtures.Tiny("checkpoint.pth")).StateDict;
        using var dir = new TempDir();
        string path = dir.File("tiny.safetensors");
        Safetensors.Write(path, source.Values, new Dictionary<string, string> { ["format"] = "pt" });

        var back = Safetensors.Read(path);
        Assert.Equal("pt", back.Metadata["format"]);
        CheckpointFixtureTests.AssertSameKeysAndShapes(source, back.Tensors);
        foreach (var t in source.Values)
        {
            Assert.Equal(t.DType, back.Tensors[t.Name].DType);
            Assert.True(t.Data.Span.SequenceEqual(back.Tensors[t.Name].Data.Span), t.Name);
        }
        // Header is padded so the data section is 8-byte aligned; no temporary file is left behind.
        var head = File.ReadAllBytes(path).AsSpan(0, 8);
        Assert.Equal(0UL, (BinaryPrimitives.ReadUInt64LittleEndian(head) + 8) % 8);
        Assert.Equal([path], Directory.GetFiles(dir.Path));
    }

    [Fact]
    public void LoaderReadsSafetensorsByContentWhateverTheExtension()
    {
        var reference = CheckpointLoader.Load(Fixtures.Tiny("variant-bf16.pth"));
        using var dir = new TempDir();
        string path = dir.File("weights.pth"); // misleading extension on purpose
        Safetensors.Write(path, reference.StateDict.Values);
        Safetensors.Write(path, reference.StateDict.Values); // overwrite in place

        var ck = CheckpointLoader.Load(path);
        Assert.Equal(CheckpointFormat.Safetensors, ck.Format);
        Assert.Equal("safetensors state dict", ck.Layout);
        Assert.Equal(reference.Configuration, ck.Configuration);
        Assert.Equal([TensorDType.BFloat16, TensorDType.Int64], ck.SourceDTypes);
        Assert.Equal(453_857, ck.TrainableParameterCount);
        foreach (var t in reference.StateDict.Values)
            Assert.True(t.Data.Span.SequenceEqual(ck.StateDict[t.Name].Data.Span), t.Name);
    }

    private static string WriteRaw(TempDir dir, string name, ulong headerLength, string header, int dataBytes)
    {
        var h = Encoding.UTF8.GetBytes(header);
        var bytes = new byte[8 + h.Length + dataBytes];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, headerLength);
        h.CopyTo(bytes, 8);
        string path = dir.File(name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    [Theory]
    [InlineData(ulong.MaxValue, "{}", CheckpointErrorCodes.LimitExceeded, "header claims")]
    [InlineData(50_000_000UL, "{}", CheckpointErrorCodes.Truncated, "header claims 50000000 bytes")]
    public void AbsurdHeaderLengthIsRefused(ulong claimed, string header, string code, string text)
    {
        using var dir = new TempDir();
        string path = WriteRaw(dir, "bad.safetensors", claimed, header, 16);
        var ex = Assert.Throws<CheckpointException>(() => CheckpointLoader.Load(path));
        Assert.Equal(code, ex.Code);
        Assert.Contains(text, ex.Message);
        Assert.StartsWith("bad.safetensors: ", ex.Message);
    }

    [Theory]
    [InlineData("""{"w":{"dtype":"F32","shape":[1000000000,1000000000],"data_offsets":[0,16]}}""", CheckpointErrorCodes.Corrupt)]
    [InlineData("""{"w":{"dtype":"F32","shape":[4],"data_offsets":[0,4000000000000]}}""", CheckpointErrorCodes.Truncated)]
    [InlineData("""{"w":{"dtype":"F32","shape":[4],"data_offsets":[16,0]}}""", CheckpointErrorCodes.Corrupt)]
    [InlineData("""{"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"v":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}""", CheckpointErrorCodes.Corrupt)]
    [InlineData("""{"w":{"dtype":"C64","shape":[2],"data_offsets":[0,16]}}""", CheckpointErrorCodes.Unsupported)]
    [InlineData("""{"w":{"dtype":"F32","shape":[-4],"data_offsets":[0,16]}}""", CheckpointErrorCodes.Corrupt)]
    [InlineData("""{"w": not json""", CheckpointErrorCodes.Corrupt)]
    public void InconsistentHeadersAreRefused(string header, string code)
    {
        using var dir = new TempDir();
        string path = WriteRaw(dir, "bad.safetensors", (ulong)Encoding.UTF8.GetByteCount(header), header, 16);
        var ex = Assert.Throws<CheckpointException>(() => Safetensors.Read(path));
        Assert.Equal(code, ex.Code);
    }
}
