namespace SparseViT.Engine.Checkpoints.Pickle;

/// <summary>A tensor as <c>_rebuild_tensor_v2</c> describes it: a strided view into a storage.</summary>
public sealed class TorchTensorRef
{
    public TorchStorageRef Storage { get; }
    public long StorageOffset { get; }
    public long[] Shape { get; }
    public long[] Stride { get; }

    public TorchTensorRef(TorchStorageRef storage, long storageOffset, long[] shape, long[] stride)
    {
        Storage = storage;
        StorageOffset = storageOffset;
        Shape = shape;
        Stride = stride;
    }

    public override string ToString() => $"tensor {Storage.DType} [{string.Join(", ", Shape)}]";
}
