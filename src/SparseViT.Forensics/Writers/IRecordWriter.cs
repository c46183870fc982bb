using SparseViT.Forensics.Records;

namespace SparseViT.Forensics.Writers;

/// <summary>
/// Writes forensic records to one output file. <see cref="Complete"/> (or Dispose) finishes the file; until then an
/// atomic writer's target still holds its previous content.
/// </summary>
public interface IRecordWriter : IDisposable
{
    string Path { get; }
    void Write(ForensicRecord record);
    void Complete();
}
