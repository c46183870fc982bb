using System.Diagnostics;
using SparseViT.Engine.Imaging;
using SparseViT.Engine.Inference;
using SparseViT.Forensics.Calibration;
using SparseViT.Forensics.Evidence;
using SparseViT.Forensics.Metadata;
using SparseViT.Forensics.Records;
using SparseViT.Forensics.Verdicts;
using SparseViT.Forensics.Writers;

namespace SparseViT.Forensics.Scanning;

/// <summary>
/// The batched scan: files → (read once: hash, metadata, decode, resize) on worker threads → batches through the
/// model → scores, evidence, verdict, masks and overlays on worker threads → records in enumeration order.
/// Queues between the stages are bounded, so memory does not grow with the number of files. No file stops the
/// scan: whatever goes wrong with one becomes that file's error record.
/// </summary>
public sealed class ImageScanner
{
    private readonly SparseViTPredictor _predictor;
    private readonly RecordBuilder _builder;
    private readonly EvidenceAnalyzer _evidence;

    public ImageScanner(SparseViTPredictor predictor, ScanOptions? options = null)
    {
        _predictor = predictor;
        Options = options ?? new ScanOptions();
        if (Options.BatchSize < 1) throw new ArgumentException($"batch size must be at least 1 (got {Options.BatchSize})");
        if (Options.Threshold is < 0 or > 1 || double.IsNaN(Options.Threshold)) throw new ArgumentException($"threshold must be within 0..1 (got {Options.Threshold})");
        if (Options.Calibration is { } c)
        {
            c.EnsureFor(predictor.Description.CheckpointSha256);
            if (c.ScoreFunction == ImageScoreFunction.ManipulatedFraction && Math.Abs(c.PixelThreshold - Options.Threshold) > 1e-12)
                throw new ArgumentException($"{c.FilePath ?? "the calibration"} scores the share of the map at ≥ {c.PixelThreshold}; scan with that pixel threshold (got {Options.Threshold})");
        }
        _builder = new RecordBuilder(predictor.Description, Options.Scoring, new VerdictPolicy(Options.Verdicts, Options.Calibration));
        _evidence = new EvidenceAnalyzer(Options.Evidence);
    }

    public ScanOptions Options { get; }

    public ScanStatistics Statistics { get; } = new();

    /// <summary>Called (from the consuming thread) after each record is produced.</summary>
    public Action<ForensicRecord>? RecordProduced { get; init; }

    /// <summary>Files, folders, globs or "-" (stdin), expanded by <see cref="FileEnumerator"/> (see <see cref="ScanOptions.Recurse"/>).</summary>
    public IEnumerable<ForensicRecord> Scan(IEnumerable<string> paths, CancellationToken cancellationToken = default) =>
        Scan(paths, stdin: null, cancellationToken);

    /// <summary>As <see cref="Scan(IEnumerable{string}, CancellationToken)"/>; a "-" argument reads paths from <paramref name="stdin"/>.</summary>
    public IEnumerable<ForensicRecord> Scan(IEnumerable<string> paths, TextReader? stdin, CancellationToken cancellationToken = default) =>
        Scan(FileEnumerator.Enumerate(paths, new ScanEnumerationOptions { Recurse = Options.Recurse, Stdin = stdin, ImageExtensions = ScanEnumerationOptions.ExtensionsOf(Options.Formats) }), cancellationToken);

    public IEnumerable<ForensicRecord> Scan(IEnumerable<ScanItem> items, CancellationToken cancellationToken = default)
    {
        var pipeline = new BatchPipeline<ScanItem, Prepared, ProbabilityMap, ForensicRecord>
        {
            Prepare = PrepareItem,
            NeedsInference = p => p.Input is not null,
            Infer = InferBatch,
            Finish = FinishItem,
            Fail = (item, e) => ForensicRecord.Failed(item.Path, RecordErrorCodes.Internal, e.Message),
            Limits = new PipelineLimits
            {
                BatchSize = Options.BatchSize,
                PrepareWorkers = Options.DecodeWorkers ?? new PipelineLimits().PrepareWorkers,
            },
        };
        foreach (var record in pipeline.Run(Select(items), cancellationToken))
        {
            Statistics.Count(record);
            RecordProduced?.Invoke(record);
            yield return record;
        }
    }

    private IEnumerable<ScanItem> Select(IEnumerable<ScanItem> items)
    {
        foreach (var item in items)
        {
            Statistics.CountEnumerated();
            if (!Options.Shard.Includes(item)) { Statistics.CountShardSkip(); continue; }
            if (Options.Resume is not null && Options.Resume.Contains(item)) { Statistics.CountResumeSkip(); continue; }
            yield return item;
        }
    }

    private sealed class Prepared
    {
        public required ScanItem Item { get; init; }
        public ForensicRecord? Error { get; set; }
        public float[]? Input { get; set; }
        public ImageFileInfo? File { get; set; }
        public ImageMetadata? Metadata { get; set; }
        public RgbImage? Image { get; set; }
        public double ReadMs { get; set; }
        public double DecodeMs { get; set; }
        public double InferenceMs { get; set; }
        public long Started { get; init; } = Stopwatch.GetTimestamp();
    }

    private Prepared PrepareItem(ScanItem item)
    {
        var prepared = new Prepared { Item = item };
        if (!item.IsScannable)
        {
            string code = item.Kind is FileKind.Missing or FileKind.BrokenLink ? RecordErrorCodes.NotFound : RecordErrorCodes.Unreadable;
            prepared.Error = ForensicRecord.Failed(item.Path, code, item.Problem ?? "not a regular file");
            return prepared;
        }
        byte[] bytes;
        var clock = Stopwatch.StartNew();
        try
        {
            bytes = ReadRegularFile(item.Path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            prepared.Error = ForensicRecord.Failed(item.Path, e is FileNotFoundException ? RecordErrorCodes.NotFound : RecordErrorCodes.Unreadable, $"cannot read: {e.Message}");
            return prepared;
        }
        prepared.ReadMs = clock.Elapsed.TotalMilliseconds;
        clock.Restart();
        try
        {
            var decoded = ImageDecoder.Decode(bytes, item.Path, Options.MaxPixels is { } max ? new ImageDecoderOptions { MaxPixels = max } : null);
            prepared.File = ImageFileInfo.FromBytes(item.Path, bytes, decoded.Format, decoded.Width, decoded.Height);
            prepared.Metadata = Options.SkipMetadata ? null : SafeMetadata(bytes, item.Path);
            prepared.Image = decoded.Image;
            prepared.Input = ImagePreprocessor.Prepare(decoded.Image, _predictor.InputSize);
            prepared.DecodeMs = clock.Elapsed.TotalMilliseconds;
        }
        catch (ImageDecodeException e)
        {
            string code = e.Code == ImageDecodeErrorCodes.ImageUnrecognized ? RecordErrorCodes.UnsupportedFormat : RecordErrorCodes.DecodeFailed;
            prepared.Error = WithFileFacts(ForensicRecord.Failed(item.Path, code, $"{e.Code}: {e.Message}", cause: e.Code), bytes);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            prepared.Error = WithFileFacts(ForensicRecord.Failed(item.Path, RecordErrorCodes.DecodeFailed, e.Message), bytes);
        }
        return prepared;
    }

    private static ForensicRecord WithFileFacts(ForensicRecord record, byte[] bytes) =>
        record with { SizeBytes = bytes.LongLength, Sha256 = ImageFileInfo.Sha256Hex(bytes) };

    private ImageMetadata SafeMetadata(byte[] bytes, string path)
    {
        try { return MetadataReader.Read(bytes, path, Options.C2paTrust); }
        catch (Exception) { return new ImageMetadata(); }
    }

    /// <summary>Opened only after stat said "regular file", and re-checked on the handle, so a file swapped for a FIFO cannot block.</summary>
    private static byte[] ReadRegularFile(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1, FileOptions.SequentialScan);
        long length = stream.Length;
        if (length > int.MaxValue) throw new IOException($"file is {length} bytes, larger than any image this tool decodes");
        var buffer = new byte[length];
        int read = 0;
        while (read < buffer.Length)
        {
            int n = stream.Read(buffer, read, buffer.Length - read);
            if (n == 0) break;
            read += n;
        }
        return read == buffer.Length ? buffer : buffer[..read];
    }

    private IReadOnlyList<ProbabilityMap> InferBatch(IReadOnlyList<Prepared> batch)
    {
        var clock = Stopwatch.StartNew();
        var inputs = batch.Select(p => new ModelInput(p.Input!, p.File!.Width, p.File.Height)).ToArray();
        var maps = _predictor.PredictBatch(inputs);
        double each = clock.Elapsed.TotalMilliseconds / batch.Count;
        foreach (var p in batch)
        {
            p.InferenceMs = each;
            p.Input = null; // 3 MiB each: let it go before the record is built.
        }
        return maps;
    }

    private ForensicRecord FinishItem(Prepared p, ProbabilityMap? map, Exception? failure)
    {
        if (p.Error is not null) return p.Error;
        if (failure is not null || map is null)
            return ForensicRecord.Failed(p.Item.Path, failure is ModelOutputException ? RecordErrorCodes.ModelOutputNotFinite : RecordErrorCodes.InferenceFailed,
                failure?.Message ?? "no probability map", cause: (failure as ModelOutputException)?.Code) with
            {
                SizeBytes = p.File?.SizeBytes, Sha256 = p.File?.Sha256, Format = p.File?.Format, Width = p.File?.Width, Height = p.File?.Height,
            };
        try
        {
            var clock = Stopwatch.StartNew();
            var metadata = p.Metadata;
            var indicators = metadata is null ? [] : _evidence.Analyze(EvidenceContext.From(p.Item.Path, metadata, p.Image!));
            double evidenceMs = clock.Elapsed.TotalMilliseconds;
            var artifacts = WriteArtifacts(p, map);
            var timings = new RecordTimings(Round(p.ReadMs), Round(p.DecodeMs), Round(p.InferenceMs), Round(evidenceMs), Round(Stopwatch.GetElapsedTime(p.Started).TotalMilliseconds));
            return _builder.Build(p.File!, metadata, indicators, map, artifacts, timings);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return ForensicRecord.Failed(p.Item.Path, RecordErrorCodes.WriteFailed, e.Message) with { SizeBytes = p.File?.SizeBytes, Sha256 = p.File?.Sha256 };
        }
        finally
        {
            p.Image = null;
        }
    }

    private RecordArtifacts WriteArtifacts(Prepared p, ProbabilityMap map)
    {
        string? mask = null, overlay = null;
        if (Options.MasksDirectory is { } masks)
        {
            mask = ArtifactPath(masks, p.Item, ".mask.png");
            MaskPngWriter.Write(mask, map);
        }
        if (Options.OverlaysDirectory is { } overlays)
        {
            overlay = ArtifactPath(overlays, p.Item, ".overlay.png");
            OverlayPngWriter.Write(overlay, p.Image!, map, Options.Threshold);
        }
        return new RecordArtifacts(mask, overlay);
    }

    /// <summary>Mirrors the file's path under the scan root so same-named files in different folders do not collide.</summary>
    public static string ArtifactPath(string directory, ScanItem item, string suffix)
    {
        var parts = item.RelativePath.Replace('\\', '/').Split('/', StringSplitOptions.RemoveEmptyEntries)
            .Where(s => s is not "." and not "..").ToArray();
        if (parts.Length == 0) parts = [Path.GetFileName(item.Path)];
        parts[^1] = Path.GetFileNameWithoutExtension(parts[^1]) + suffix;
        string path = Path.GetFullPath(Path.Combine([directory, .. parts]));
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        return path;
    }

    private static double Round(double ms) => Math.Round(ms, 2);
}
