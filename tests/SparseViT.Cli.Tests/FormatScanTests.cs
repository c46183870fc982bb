using System.Text.Json;
using SparseViT.Tests.Shared;

namespace SparseViT.Cli.Tests;

/// <summary>
/// The intake formats as a user meets them: `sparsevit scan` (a real process) over ../shared/fixtures/formats, over a
/// folder of hostile files, and the format listing and selection flags.
/// </summary>
public sealed class FormatScanTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sparsevit-formats-").FullName;

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); } catch { }
    }

    private string P(string name) => Path.Combine(_dir, name);

    private static string FormatsDir => HostileImages.FormatsDirectory(CliRunner.Shared);

    private static string[] Scan(params string[] args) => ["scan", .. args, "--checkpoint", CliRunner.FixtureCheckpoint, "--batch-size", "4"];

    private static List<JsonElement> ReadJsonl(string path) =>
        File.ReadAllLines(path).Where(l => l.Length > 0).Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToList();

    [Fact]
    public void Every_fixture_format_scans_ok_with_its_format_size_and_metadata()
    {
        var r = CliRunner.RunProcess(Scan(FormatsDir, "--format", "jsonl", "--output", P("formats.jsonl"), "--fail-on", "error"), TimeSpan.FromMinutes(4));
        Assert.True(r.ExitCode == 0, r.ToString());
        var records = ReadJsonl(P("formats.jsonl")).ToDictionary(x => x.GetProperty("fileName").GetString()!);
        using var expected = JsonDocument.Parse(File.ReadAllText(Path.Combine(FormatsDir, "expected.json")));
        var files = expected.RootElement.GetProperty("files").EnumerateArray().ToList();
        Assert.Equal(files.Count, records.Count);
        foreach (var file in files)
        {
            string name = file.GetProperty("file").GetString()!;
            var record = records[name];
            Assert.Equal("ok", record.GetProperty("status").GetString());
            Assert.Equal(file.GetProperty("width").GetInt32(), record.GetProperty("width").GetInt32());
            Assert.Equal(file.GetProperty("height").GetInt32(), record.GetProperty("height").GetInt32());
            Assert.Equal(file.GetProperty("sha256").GetString(), record.GetProperty("sha256").GetString());
            Assert.True(record.GetProperty("metadata").GetProperty("extensionMatchesFormat").GetBoolean(), $"{name}: extension mismatch reported");
            Assert.True(record.GetProperty("scores").GetProperty("max").GetDouble() is >= 0 and <= 1, $"{name}: score out of range");
        }
        string Format(string name) => records[name].GetProperty("format").GetString()!;
        Assert.Equal(["tiff", "heic", "avif", "jp2", "jxl", "dng"],
            new[] { "tiff_cmyk.tif", "heic_from_c2pa_sample1.heic", "avif_sample1_420.avif", "jp2_lossless.jp2", "jxl_lossy_d1.jxl", "dng_cfa_synthetic.dng" }.Select(Format));
        Assert.Equal("Fixtures", records["dng_cfa_synthetic.dng"].GetProperty("metadata").GetProperty("make").GetString());
    }

    [Fact]
    public void Hostile_files_become_specific_error_records_within_seconds_and_exit_3()
    {
        string folder = Directory.CreateDirectory(P("hostile")).FullName;
        File.WriteAllBytes(Path.Combine(folder, "huge.heic"), HostileImages.HeicClaiming(CliRunner.Shared, 100_000, 100_000));
        File.WriteAllBytes(Path.Combine(folder, "huge.tif"), HostileImages.TiffClaiming(CliRunner.Shared, 100_000, 100_000));
        File.WriteAllBytes(Path.Combine(folder, "cut.heic"), HostileImages.TruncatedHeic(CliRunner.Shared));
        File.WriteAllBytes(Path.Combine(folder, "bad-ifd.tif"), HostileImages.TiffWithBadIfdOffset(CliRunner.Shared));
        File.WriteAllBytes(Path.Combine(folder, "vector.jpg"), HostileImages.Svg());
        File.WriteAllBytes(Path.Combine(folder, "script.jpg"), HostileImages.Mvg());
        File.Copy(Path.Combine(FormatsDir, "avif_sample1_420.avif"), Path.Combine(folder, "good.avif"));

        var r = CliRunner.RunProcess(Scan(folder, "--format", "jsonl", "--output", P("hostile.jsonl")), TimeSpan.FromMinutes(2));

        Assert.True(r.ExitCode == 3, r.ToString());
        Assert.True(r.Elapsed < TimeSpan.FromSeconds(60), $"took {r.Elapsed}");
        var records = ReadJsonl(P("hostile.jsonl")).ToDictionary(x => x.GetProperty("fileName").GetString()!);
        Assert.Equal(7, records.Count);
        Assert.Equal("ok", records["good.avif"].GetProperty("status").GetString());
        string Message(string name)
        {
            Assert.Equal("error", records[name].GetProperty("status").GetString());
            return records[name].GetProperty("error").GetProperty("message").GetString()!;
        }
        Assert.Contains("100000x100000", Message("huge.heic"));
        Assert.Contains("100000x100000", Message("huge.tif"));
        Assert.Contains("HEIC/HEIF file is truncated", Message("cut.heic"));
        Assert.Contains("TIFF structure is corrupt", Message("bad-ifd.tif"));
        Assert.Contains("SVG", Message("vector.jpg"));
        Assert.Contains("MVG", Message("script.jpg"));
        Assert.Equal("unsupported-format", records["vector.jpg"].GetProperty("error").GetProperty("code").GetString());
    }

    [Fact]
    public void Formats_lists_every_readable_format_and_formats_option_selects_from_folders()
    {
        var list = CliRunner.Run(["formats", "--format", "json"]);
        Assert.True(list.ExitCode == 0, list.ToString());
        var ids = JsonDocument.Parse(list.Stdout).RootElement.GetProperty("formats").EnumerateArray().Select(f => f.GetProperty("id").GetString()).ToList();
        Assert.Superset(new HashSet<string?> { "jpeg", "png", "webp", "tiff", "heic", "avif", "jp2", "jxl", "dng", "nef", "cr3" }, ids.ToHashSet());

        var text = CliRunner.Run(["formats"]);
        Assert.Contains("LibTiff.NET", text.Stdout);
        Assert.Contains(".heic", text.Stdout);

        var heicOnly = CliRunner.Run(["metadata", FormatsDir, "--formats", "heic,avif", "--format", "jsonl"]);
        Assert.True(heicOnly.ExitCode == 0, heicOnly.ToString());
        var names = heicOnly.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement.GetProperty("fileName").GetString()).ToList();
        Assert.Equal(["avif_c2pa_sample1.avif", "avif_sample1_420.avif", "heic_from_c2pa_sample1.heic"], names);

        var bad = CliRunner.Run(["scan", FormatsDir, "--formats", "jpeg,psd"]);
        Assert.Equal(2, bad.ExitCode);
        Assert.Contains("'psd' is not a format the scanner reads", bad.Stderr);
    }
}
