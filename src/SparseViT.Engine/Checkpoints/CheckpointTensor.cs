namespace SparseViT.Engine.Checkpoints;

/// <summary>
/// One state-dict entry as read from a checkpoint: its name, dtype, shape and raw little-endian bytes in
/// C order. Kept independent of TorchSharp so that reading, validating and converting checkpoints needs no
/// native library.
/// </summary>
public sealed class CheckpointTensor
{
    public string Name { get; }
    public TensorDType DType { get; }
    public long[] Shape { get; }
    public ReadOnlyMemory<byte> Data { get; }

    public CheckpointTensor(string name, TensorDType dtype, long[] shape, ReadOnlyMemory<byte> data)
    {
        Name = name;
        DType = dtype;
        Shape = shape;
        Data = data;
        long expected = ElementCount * ElementSize(dtype);
        if (data.Length != expected)
            throw new ArgumentException($"tensor '{name}': {data.Length} bytes for shape [{string.Join(",", shape)}] of {dtype} (expected {expected})");
    }

    public long ElementCount => Shape.Aggregate(1L, (a, b) => a * b);

    public static int ElementSize(TensorDType dtype) => dtype switch
    {
        TensorDType.Float64 or TensorDType.Int64 => 8,
        TensorDType.Float32 or TensorDType.Int32 => 4,
        TensorDType.Float16 or TensorDType.BFloat16 or TensorDType.Int16 => 2,
        _ => 1,
    };

    public bool IsFloatingPoint => DType is TensorDType.Float32 or TensorDType.Float16 or TensorDType.BFloat16 or TensorDType.Float64;

    /// <summary>Values widened (fp16/bf16) or narrowed (fp64) to float32; integer tensors converted as numbers.</summary>
    public float[] ToFloat32()
    {
        var span = Data.Span;
        var result = new float[ElementCount];
        switch (DType)
        {
            case TensorDType.Float32:
                System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(span).CopyTo(result);
                break;
            case TensorDType.Float16:
                var halves = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, Half>(span);
                for (int i = 0; i < result.Length; i++) result[i] = (float)halves[i];
                break;
            case TensorDType.BFloat16:
                var raw = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, ushort>(span);
                for (int i = 0; i < result.Length; i++) result[i] = BitConverter.Int32BitsToSingle(raw[i] << 16);
                break;
            case TensorDType.Float64:
                var doubles = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, double>(span);
                for (int i = 0; i < result.Length; i++) result[i] = (float)doubles[i];
                break;
            case TensorDType.Int64:
                var longs = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, long>(span);
                for (int i = 0; i < result.Length; i++) result[i] = longs[i];
                break;
            case TensorDType.Int32:
                var ints = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, int>(span);
                for (int i = 0; i < result.Length; i++) result[i] = ints[i];
                break;
            case TensorDType.Int16:
                var shorts = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, short>(span);
                for (int i = 0; i < result.Length; i++) result[i] = shorts[i];
                break;
            default:
                for (int i = 0; i < result.Length; i++) result[i] = DType == TensorDType.Int8 ? (sbyte)span[i] : span[i];
                break;
        }
        return result;
    }

    public override string ToString() => $"{Name} {DType} [{string.Join(", ", Shape)}]";
}
