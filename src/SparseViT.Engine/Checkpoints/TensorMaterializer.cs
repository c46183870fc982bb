using SparseViT.Engine.Checkpoints.Pickle;

namespace SparseViT.Engine.Checkpoints;

/// <summary>Turns a strided tensor description plus its storage bytes into a contiguous <see cref="CheckpointTensor"/>.</summary>
internal static class TensorMaterializer
{
    /// <param name="record">All bytes of the storage record the tensor's storage lives in (already length-checked
    /// against <see cref="TorchStorageRef.RecordElementCount"/>).</param>
    public static CheckpointTensor Materialize(string name, TorchTensorRef t, ReadOnlyMemory<byte> record, string path)
    {
        var s = t.Storage;
        int elem = CheckpointTensor.ElementSize(s.DType);
        if (record.Length != checked(s.RecordElementCount * elem))
            throw Corrupt(path, $"tensor '{name}': storage '{s.Key}' holds {record.Length} bytes but is described as {s.RecordElementCount} {s.DType} elements");
        if (s.ElementOffset < 0 || s.ElementCount < 0 || s.ElementOffset + s.ElementCount > s.RecordElementCount)
            throw Corrupt(path, $"tensor '{name}': storage view [{s.ElementOffset}, +{s.ElementCount}) lies outside storage '{s.Key}' of {s.RecordElementCount} elements");
        var storage = record.Slice((int)(s.ElementOffset * elem), (int)(s.ElementCount * elem));

        long numel = 1;
        foreach (long d in t.Shape)
        {
            numel = d == 0 ? 0 : numel > long.MaxValue / d ? long.MaxValue : numel * d;
        }
        if (numel > int.MaxValue / elem)
            throw new CheckpointException(CheckpointErrorCodes.Unsupported, path, $"tensor '{name}' has {numel} elements, more than one array can hold");
        if (numel == 0)
            return new CheckpointTensor(name, s.DType, (long[])t.Shape.Clone(), ReadOnlyMemory<byte>.Empty);

        // Highest storage element the view touches; it must exist.
        long last = t.StorageOffset;
        for (int i = 0; i < t.Shape.Length; i++) last += (t.Shape[i] - 1) * t.Stride[i];
        if (last >= s.ElementCount)
            throw Corrupt(path, $"tensor '{name}' [{string.Join(",", t.Shape)}] with stride ({string.Join(",", t.Stride)}) and offset {t.StorageOffset} reaches element {last} of a {s.ElementCount}-element storage");

        if (IsContiguous(t.Shape, t.Stride))
            return new CheckpointTensor(name, s.DType, (long[])t.Shape.Clone(),
                storage.Slice((int)(t.StorageOffset * elem), (int)(numel * elem)).ToArray());

        // A state dict entry whose elements alias each other (expand, as_strided) is not a set of weights.
        if (Overlaps(t.Shape, t.Stride))
            throw new CheckpointException(CheckpointErrorCodes.Unsupported, path, $"tensor '{name}' is a view whose elements overlap (stride ({string.Join(",", t.Stride)})); state dicts hold plain tensors");

        var dst = new byte[numel * elem];
        var src = storage.Span;
        var index = new long[t.Shape.Length];
        for (long n = 0; n < numel; n++)
        {
            long off = t.StorageOffset;
            for (int i = 0; i < index.Length; i++) off += index[i] * t.Stride[i];
            src.Slice((int)(off * elem), elem).CopyTo(dst.AsSpan((int)(n * elem), elem));
            for (int i = index.Length - 1; i >= 0; i--)
            {
                if (++index[i] < t.Shape[i]) break;
                index[i] = 0;
            }
        }
        return new CheckpointTensor(name, s.DType, (long[])t.Shape.Clone(), dst);
    }

    private static bool IsContiguous(long[] shape, long[] stride)
    {
        long expected = 1;
        for (int i = shape.Length - 1; i >= 0; i--)
        {
            if (shape[i] != 1 && stride[i] != expected) return false;
            expected *= shape[i];
        }
        return true;
    }

    private static bool Overlaps(long[] shape, long[] stride)
    {
        // Dimensions in increasing stride order: each stride must step past everything the smaller ones span.
        long span = 0;
        foreach (int i in Enumerable.Range(0, shape.Length).Where(i => shape[i] > 1).OrderBy(i => stride[i]))
        {
            if (stride[i] <= span) return true;
            span += (shape[i] - 1) * stride[i];
        }
        return false;
    }

    private static CheckpointException Corrupt(string path, string message) => new(CheckpointErrorCodes.Corrupt, path, message);
}
