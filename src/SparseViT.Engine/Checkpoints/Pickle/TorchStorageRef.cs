namespace SparseViT.Engine.Checkpoints.Pickle;

/// <summary>
/// A storage named by a persistent id. Only its description is unpickled; the bytes are read later, and only
/// for tensors that end up in the state dict (optimizer moments are never touched).
/// </summary>
/// <param name="Key">Name of the storage record (zip entry <c>data/&lt;key&gt;</c> or legacy record key).</param>
/// <param name="ElementCount">Elements visible through this storage; checked against the bytes on disk.</param>
/// <param name="ElementOffset">Legacy view storages alias a slice of the record starting here (elements).</param>
/// <param name="RecordElementCount">Elements the whole record holds (differs from ElementCount only for legacy views).</param>
public sealed record TorchStorageRef(string Key, TensorDType DType, string Location, long ElementCount, long ElementOffset, long RecordElementCount)
{
    public TorchStorageRef(string key, TensorDType dtype, string location, long elementCount)
        : this(key, dtype, location, elementCount, 0, elementCount) { }

    public override string ToString() => $"storage {Key} ({DType}, {ElementCount} elements, {Location})";
}
