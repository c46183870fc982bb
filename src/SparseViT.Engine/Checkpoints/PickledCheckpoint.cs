using SparseViT.Engine.Checkpoints.Pickle;

namespace SparseViT.Engine.Checkpoints;

/// <summary>
/// A PyTorch checkpoint whose pickle has been read (restricted, nothing executed) but whose tensor bytes are
/// only read on demand by <see cref="Materialize"/>. Dispose to close the file.
/// </summary>
public sealed class PickledCheckpoint : IDisposable
{
    private readonly Func<TorchStorageRef, ReadOnlyMemory<byte>> _record;
    private readonly IDisposable? _owner;

    public string Path { get; }
    public CheckpointFormat Format { get; }

    /// <summary>The unpickled top-level object (see <see cref="PyDict"/> and friends for the representation).</summary>
    public object? Root { get; }

    internal PickledCheckpoint(string path, CheckpointFormat format, object? root, Func<TorchStorageRef, ReadOnlyMemory<byte>> record, IDisposable? owner)
    {
        Path = path;
        Format = format;
        Root = root;
        _record = record;
        _owner = owner;
    }

    /// <summary>Reads the tensor's storage (storages on cuda:N are read like cpu ones) and returns its contiguous data.</summary>
    public CheckpointTensor Materialize(string name, TorchTensorRef tensor) =>
        TensorMaterializer.Materialize(name, tensor, _record(tensor.Storage), Path);

    public void Dispose() => _owner?.Dispose();
}
