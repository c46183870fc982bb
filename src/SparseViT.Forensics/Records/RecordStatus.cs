namespace SparseViT.Forensics.Records;

public enum RecordStatus
{
    Ok,
    Error,
}
