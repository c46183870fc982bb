using System.Buffers.Binary;
using System.Text.Json;

namespace SparseViT.Tests.Shared;

/// <summary>
/// A copy of a safetensors checkpoint with one weight's first value set to NaN (or +Inf): the model still loads,
/// and every map it makes is poisoned. Plain file surgery, so it needs neither libtorch nor the engine.
/// </summary>
public static class PoisonedCheckpoint
{
    public const string DefaultEntry = "encoder_net.patch_embed1.proj.weight";

    public static string Write(string source, string destination, string entry = DefaultEntry, bool infinity = false)
    {
        var bytes = File.ReadAllBytes(source);
        long headerLength = BinaryPrimitives.ReadInt64LittleEndian(bytes);
        using var header = JsonDocument.Parse(bytes.AsMemory(8, (int)headerLength));
        var tensor = header.RootElement.GetProperty(entry);
        string dtype = tensor.GetProperty("dtype").GetString()!;
        long begin = tensor.GetProperty("data_offsets")[0].GetInt64();
        var at = bytes.AsSpan((int)(8 + headerLength + begin));
        switch (dtype)
        {
            case "F16": BinaryPrimitives.WriteUInt16LittleEndian(at, infinity ? (ushort)0x7C00 : (ushort)0x7E00); break;
            case "BF16": BinaryPrimitives.WriteUInt16LittleEndian(at, infinity ? (ushort)0x7F80 : (ushort)0x7FC0); break;
            case "F32": BinaryPrimitives.WriteSingleLittleEndian(at, infinity ? float.PositiveInfinity : float.NaN); break;
            default: throw new NotSupportedException($"{entry} is {dtype}");
        }
        File.WriteAllBytes(destination, bytes);
        return destination;
    }
}
