using SparseViT.Forensics.Records;
using SparseViT.Forensics.Verdicts;

namespace SparseViT.Forensics.Scanning;

/// <summary>Running counts a front end shows as progress and turns into an exit code.</summary>
public sealed class ScanStatistics
{
    private int _enumerated, _skippedShard, _skippedResume, _ok, _failed, _manipulated, _suspicious;

    public int Enumerated => _enumerated;
    public int SkippedOtherShard => _skippedShard;
    public int SkippedAlreadyRecorded => _skippedResume;
    public int Ok => _ok;
    public int Failed => _failed;
    public int Manipulated => _manipulated;
    public int Suspicious => _suspicious;
    public int Recorded => _ok + _failed;

    internal void CountEnumerated() => Interlocked.Increment(ref _enumerated);
    internal void CountShardSkip() => Interlocked.Increment(ref _skippedShard);
    internal void CountResumeSkip() => Interlocked.Increment(ref _skippedResume);

    internal void Count(ForensicRecord record)
    {
        if (record.Status != RecordStatus.Ok) { Interlocked.Increment(ref _failed); return; }
        Interlocked.Increment(ref _ok);
        if (record.Verdict == Verdict.Manipulated) Interlocked.Increment(ref _manipulated);
        else if (record.Verdict == Verdict.Suspicious) Interlocked.Increment(ref _suspicious);
    }
}
