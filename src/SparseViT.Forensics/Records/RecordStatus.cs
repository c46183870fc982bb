using SparseViT.Forensics.Evidence;
using SparseViT.Forensics.Metadata;
using SparseViT.Forensics.Scoring;
using SparseViT.Forensics.Verdicts;

namespace SparseViT.Forensics.Records;

public enum RecordStatus
{
    Ok,
    Error,
}
