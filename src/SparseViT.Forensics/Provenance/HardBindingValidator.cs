using System.Security.Cryptography;

namespace SparseViT.Forensics.Provenance;

/// <summary>
/// Checks a manifest's hard binding against the file's bytes: c2pa.hash.data (a hash of everything outside its
/// exclusion ranges) or c2pa.hash.bmff / .v2 / .v3 (top-level ISO BMFF boxes outside the exclusions found by xpath,
/// each preceded by its 64-bit file offset from v2 on). Either way, an image changed after signing gives a mismatch.
/// </summary>
internal static class HardBindingValidator
{
    public static string? Check(C2paManifest manifest, byte[] file, ProvenanceStatusBuilder status)
    {
        string defaultAlg = manifest.Claim.Text("alg") ?? "sha256";
        if (manifest.LabelsOf("c2pa.hash.data").FirstOrDefault() is { } dataLabel)
        {
            CheckDataHash(manifest.AssertionData(dataLabel), defaultAlg, file, status);
            return "c2pa.hash.data";
        }
        if (manifest.LabelsOf("c2pa.hash.bmff.v3", "c2pa.hash.bmff.v2", "c2pa.hash.bmff").FirstOrDefault() is { } bmffLabel)
        {
            string label = bmffLabel.Split("__")[0];
            CheckBmffHash(manifest.AssertionData(bmffLabel), defaultAlg, file, withOffsets: label != "c2pa.hash.bmff", status);
            return label;
        }
        status.Fail(C2paStatus.HardBindingsMissing, "the manifest has no c2pa.hash.data or c2pa.hash.bmff assertion");
        return null;
    }

    private static void CheckDataHash(IReadOnlyDictionary<string, object?>? data, string defaultAlg, byte[] file, ProvenanceStatusBuilder status)
    {
        var expected = data.Bytes("hash");
        var exclusions = data.List("exclusions").OfType<IReadOnlyDictionary<string, object?>>()
            .Select(e => (Start: e.Integer("start") ?? -1, Length: e.Integer("length") ?? -1)).ToList();
        if (expected is null || exclusions.Any(e => e.Start < 0 || e.Length < 0 || e.Start + e.Length > file.Length))
        {
            status.Fail(C2paStatus.DataHashMalformed, "the data hash has no hash or an exclusion outside the file");
            return;
        }
        if (exclusions.Count > 1) status.Inform(C2paStatus.DataHashAdditionalExclusions);
        using var hash = Hasher(data.Text("alg") ?? defaultAlg);
        if (hash is null) { status.Fail(C2paStatus.AlgorithmUnsupported); return; }
        long position = 0;
        foreach (var (start, length) in exclusions.OrderBy(e => e.Start))
        {
            if (start > position) hash.AppendData(file, (int)position, (int)(start - position));
            position = Math.Max(position, start + length);
        }
        if (position < file.Length) hash.AppendData(file, (int)position, (int)(file.Length - position));
        if (hash.GetHashAndReset().AsSpan().SequenceEqual(expected)) status.Succeed(C2paStatus.DataHashMatch);
        else status.Fail(C2paStatus.DataHashMismatch, "the image's bytes no longer match the hash signed in its manifest");
    }

    private static void CheckBmffHash(IReadOnlyDictionary<string, object?>? data, string defaultAlg, byte[] file, bool withOffsets, ProvenanceStatusBuilder status)
    {
        var expected = data.Bytes("hash");
        if (expected is null)
        {
            status.Fail(C2paStatus.BmffHashMalformed, data.Map("merkle") is not null || data.List("merkle").Count > 0
                ? "fragmented (Merkle) BMFF hashes are not checked" : "the BMFF hash has no hash value");
            return;
        }
        List<BmffBox> boxes;
        try { boxes = BmffBox.ReadTree(file); }
        catch (ProvenanceFormatException e) { status.Fail(C2paStatus.BmffHashMalformed, e.Message); return; }

        var excluded = new List<(long Start, long Length)>();
        var fullyExcluded = new HashSet<long>();
        var rules = data.List("exclusions").OfType<IReadOnlyDictionary<string, object?>>().ToList();
        foreach (var rule in rules)
            foreach (var box in BmffBox.Select(boxes, rule.Text("xpath") ?? ""))
            {
                if (!Matches(rule, box, file)) continue;
                var subsets = rule.List("subset").OfType<IReadOnlyDictionary<string, object?>>().ToList();
                if (subsets.Count == 0)
                {
                    excluded.Add((box.Offset, box.Size));
                    fullyExcluded.Add(box.Offset);
                    continue;
                }
                foreach (var s in subsets)
                {
                    long offset = s.Integer("offset") ?? 0, length = s.Integer("length") ?? 0;
                    if (offset > box.Size) continue;
                    excluded.Add((box.Offset + offset, length == 0 ? box.Size - offset : Math.Min(length, box.Size - offset)));
                }
            }
        if (rules.Count > 1) status.Inform(C2paStatus.BmffHashAdditionalExclusions);

        using var hash = Hasher(data.Text("alg") ?? defaultAlg);
        if (hash is null) { status.Fail(C2paStatus.AlgorithmUnsupported); return; }
        var markers = withOffsets ? boxes.Where(b => b.Depth == 0 && !fullyExcluded.Contains(b.Offset)).Select(b => b.Offset).ToList() : [];
        HashWithOffsets(hash, file, Included(excluded, file.Length), markers);
        if (hash.GetHashAndReset().AsSpan().SequenceEqual(expected)) status.Succeed(C2paStatus.BmffHashMatch);
        else status.Fail(C2paStatus.BmffHashMismatch, "the image's boxes no longer match the hash signed in its manifest");
    }

    private static bool Matches(IReadOnlyDictionary<string, object?> rule, BmffBox box, byte[] file)
    {
        if (rule.Integer("length") is { } length && length != box.Size) return false;
        if (rule.Integer("version") is { } version && box.Version is { } v && v != version) return false;
        foreach (var d in rule.List("data").OfType<IReadOnlyDictionary<string, object?>>())
        {
            long at = box.Offset + (d.Integer("offset") ?? 0);
            var value = d.Bytes("value") ?? [];
            if (at < 0 || at + value.Length > file.Length || !file.AsSpan((int)at, value.Length).SequenceEqual(value)) return false;
        }
        return true;
    }

    private static List<(long Start, long End)> Included(List<(long Start, long Length)> excluded, long fileLength)
    {
        var ranges = new List<(long, long)>();
        long position = 0;
        foreach (var (start, length) in excluded.Where(e => e.Length > 0).OrderBy(e => e.Start))
        {
            if (start > position) ranges.Add((position, start));
            position = Math.Max(position, start + length);
        }
        if (position < fileLength) ranges.Add((position, fileLength));
        return ranges;
    }

    /// <summary>Hashes the included ranges in file order, with each top-level box's offset (8 bytes, big-endian) at its start.</summary>
    private static void HashWithOffsets(IncrementalHash hash, byte[] file, List<(long Start, long End)> ranges, List<long> markers)
    {
        long first = ranges.Count > 0 ? ranges[0].Start : 0, last = ranges.Count > 0 ? ranges[^1].End : 0;
        var pending = new Queue<long>(markers.Where(m => m >= first && m < last).Order());
        Span<byte> offset = stackalloc byte[8];
        foreach (var (start, end) in ranges)
        {
            long position = start;
            while (pending.Count > 0 && pending.Peek() < end)
            {
                long marker = pending.Dequeue();
                if (marker > position) { hash.AppendData(file, (int)position, (int)(marker - position)); position = marker; }
                System.Buffers.Binary.BinaryPrimitives.WriteInt64BigEndian(offset, marker);
                hash.AppendData(offset);
            }
            hash.AppendData(file, (int)position, (int)(end - position));
        }
    }

    internal static IncrementalHash? Hasher(string alg) => alg switch
    {
        "sha256" => IncrementalHash.CreateHash(HashAlgorithmName.SHA256),
        "sha384" => IncrementalHash.CreateHash(HashAlgorithmName.SHA384),
        "sha512" => IncrementalHash.CreateHash(HashAlgorithmName.SHA512),
        _ => null,
    };
}
