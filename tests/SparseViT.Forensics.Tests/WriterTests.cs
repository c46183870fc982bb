using System.Diagnostics;
using System.Text.Json;
using SkiaSharp;
using SparseViT.Engine.Imaging;
using SparseViT.Forensics.Records;
using SparseViT.Forensics.Tests.Support;
using SparseViT.Forensics.Writers;
using CsvReader = CsvHelper.CsvReader;
using CsvReaderOptions = CsvHelper.CsvReaderOptions;

namespace SparseViT.Forensics.Tests;

public sealed class WriterTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("forensics-writers-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string File_(string name) => Path.Combine(_dir, name);

    [Fact]
    public void Json_array_is_replaced_only_when_complete()
    {
        var path = File_("results.json");
        File.WriteAllText(path, "previous");
        var writer = RecordWriterFactory.Create("json", path);
        writer.Write(RecordSamples.Ok("/a.jpg"));
        writer.Write(RecordSamples.Ok("/b.jpg"));
        Assert.Equal("previous", File.ReadAllText(path)); // a crash now would leave the old file
        writer.Dispose();

        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        Assert.Equal(2, doc.RootElement.GetArrayLength());
        Assert.Equal("/b.jpg", doc.RootElement[1].GetProperty("path").GetString());
        Assert.Single(Directory.GetFiles(_dir)); // no temp left behind
    }

    [Fact]
    public void Empty_json_array_is_valid()
    {
        var path = File_("empty.json");
        using (RecordWriterFactory.Create("json", path)) { }
        Assert.Equal(0, JsonDocument.Parse(File.ReadAllText(path)).RootElement.GetArrayLength());
    }

    [Fact]
    public void Csv_neutralises_formulas_and_reads_back_with_a_standard_reader()
    {
        var path = File_("results.csv");
        var hostile = RecordSamples.Ok("/data/a, \"quoted\"\nname.jpg", software: "=HYPERLINK(\"http://x\")");
        var plain = RecordSamples.Ok("/data/b.jpg", software: "@SUM(1)");
        using (var writer = RecordWriterFactory.Create("csv", path))
        {
            writer.Write(hostile);
            writer.Write(plain);
            writer.Write(ForensicRecord.Failed("/data/c.jpg", RecordErrorCodes.DecodeFailed, "-bad data"));
        }

        var text = File.ReadAllText(path);
        Assert.Contains("\r\n", text);
        Assert.DoesNotContain(",=HYPERLINK", text);
        using var reader = CsvReader.Create(File.ReadAllBytes(path), CsvReaderOptions.Default with { Separator = ',' });
        Assert.Equal(ForensicRecordColumns.Names, reader.Headers.ToArray());
        var expected = new[] { hostile, plain, ForensicRecord.Failed("/data/c.jpg", RecordErrorCodes.DecodeFailed, "-bad data") };
        int row = 0;
        while (reader.Read())
        {
            var flat = ForensicRecordColumns.Flatten(expected[row]);
            for (int c = 0; c < flat.Count; c++)
            {
                if (flat[c].Key == "scannedAt") continue; // Failed() stamps its own time
                Assert.Equal(CsvRecordWriter.Cell(flat[c].Value), reader.GetString(c));
            }
            row++;
        }
        Assert.Equal(3, row);

        using var check = CsvReader.Create(File.ReadAllBytes(path), CsvReaderOptions.Default with { Separator = ',' });
        check.Read();
        Assert.Equal("'=HYPERLINK(\"http://x\")", check.GetString("software"));
        Assert.Equal("/data/a, \"quoted\"\nname.jpg", check.GetString("path"));
        Assert.Equal("-73.985656", check.GetString("gpsLongitude")); // numbers are not text, so not prefixed
        Assert.Equal("manipulated", check.GetString("verdict"));
        check.Read();
        Assert.Equal("'@SUM(1)", check.GetString("software"));
        check.Read();
        Assert.Equal("'-bad data", check.GetString("errorMessage"));
        Assert.Equal("error", check.GetString("status"));
    }

    [Theory]
    [InlineData("=1+1", "'=1+1")]
    [InlineData("+1", "'+1")]
    [InlineData("-1", "'-1")]
    [InlineData("@x", "'@x")]
    [InlineData("\tx", "'\tx")]
    [InlineData("\rx", "'\rx")]
    [InlineData("a=1", "a=1")]
    public void Csv_cell_prefixes_formula_starts(string value, string cell) => Assert.Equal(cell, CsvRecordWriter.Cell(value));

    [Fact]
    public void Jsonl_reader_skips_a_torn_last_line_and_the_writer_repairs_it()
    {
        var path = File_("results.jsonl");
        using (var writer = new JsonLinesRecordWriter(path, append: false))
            for (int i = 0; i < 3; i++) writer.Write(RecordSamples.Ok($"/{i}.jpg"));
        File.AppendAllText(path, "{\"schema\":\"sparsevit.forensic-rec");

        var records = JsonLinesRecordReader.ReadAll(path, out bool torn);
        Assert.Equal(3, records.Count);
        Assert.True(torn);

        using (var writer = new JsonLinesRecordWriter(path, append: true))
        {
            Assert.True(writer.RepairedBytes > 0);
            writer.Write(RecordSamples.Ok("/3.jpg"));
        }
        records = JsonLinesRecordReader.ReadAll(path, out torn);
        Assert.False(torn);
        Assert.Equal(["/0.jpg", "/1.jpg", "/2.jpg", "/3.jpg"], records.Select(r => r.Path));
    }

    [Fact]
    public void Jsonl_bad_line_in_the_middle_names_file_and_line()
    {
        var path = File_("bad.jsonl");
        File.WriteAllText(path, ForensicRecordJson.Serialize(RecordSamples.Ok()) + "\nnot json\n");
        var e = Assert.Throws<InvalidDataException>(() => JsonLinesRecordReader.ReadAll(path));
        Assert.Contains($"{path} line 2", e.Message);
    }

    [Fact]
    public void Jsonl_killed_mid_write_leaves_only_whole_lines()
    {
        var path = File_("killed.jsonl");
        var start = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardError = true };
        start.ArgumentList.Add("exec");
        start.ArgumentList.Add(typeof(WriterTests).Assembly.Location);
        start.Environment[JsonLinesCrashChild.Variable] = path;
        using var child = Process.Start(start)!;
        var deadline = DateTime.UtcNow.AddSeconds(60);
        long enough = 5L * RecordSize;
        while (Length(path) < enough && DateTime.UtcNow < deadline && !child.HasExited) Thread.Sleep(2);
        if (child.HasExited) Assert.Fail($"the writer child exited early: {child.StandardError.ReadToEnd()}");
        child.Kill();
        child.WaitForExit();

        var records = JsonLinesRecordReader.ReadAll(path, out _);
        Assert.InRange(records.Count, 5, 1999); // killed while still writing
        Assert.All(records.Select((r, i) => (r, i)), x => Assert.Equal($"/data/{x.i}.jpg", x.r.Path));
        using (new JsonLinesRecordWriter(path, append: true)) { }
        var bytes = File.ReadAllBytes(path);
        Assert.Equal((byte)'\n', bytes[^1]);
        Assert.Equal(records.Count, JsonLinesRecordReader.ReadAll(path).Count);
    }

    private static readonly long RecordSize = ForensicRecordJson.SerializeToUtf8Bytes(RecordSamples.Ok(reasonsPadding: JsonLinesCrashChild.Padding)).Length;

    private static long Length(string path) => File.Exists(path) ? new FileInfo(path).Length : 0;

    [Fact]
    public void Mask_png_is_grey_at_original_size()
    {
        var path = File_("mask.png");
        var values = new float[] { 0f, 0.5f, 1f, 0.2f, 0.9f, 0.1f };
        MaskPngWriter.Write(path, values, 3, 2);
        using var bitmap = SKBitmap.Decode(path);
        Assert.Equal((3, 2), (bitmap.Width, bitmap.Height));
        Assert.Equal(128, bitmap.GetPixel(1, 0).Red);
        Assert.Equal(255, bitmap.GetPixel(2, 0).Red);
        Assert.Equal(51, bitmap.GetPixel(0, 1).Green);

        MaskPngWriter.Write(path, values, 3, 2, binaryThreshold: 0.5);
        using var binary = SKBitmap.Decode(path);
        Assert.Equal(255, binary.GetPixel(1, 0).Red);
        Assert.Equal(0, binary.GetPixel(0, 1).Red);
    }

    [Fact]
    public void Overlay_blends_a_colour_map_and_outlines_regions()
    {
        var path = File_("overlay.png");
        var image = new RgbImage(64, 48, Enumerable.Repeat((byte)100, 64 * 48 * 3).ToArray());
        var p = new float[64 * 48];
        for (int y = 10; y < 30; y++)
            for (int x = 20; x < 40; x++) p[y * 64 + x] = 1f;
        OverlayPngWriter.Write(path, image, p);

        using var bitmap = SKBitmap.Decode(path);
        Assert.Equal((64, 48), (bitmap.Width, bitmap.Height));
        Assert.Equal(new SKColor(255, 255, 255), bitmap.GetPixel(20, 10)); // outline
        var inside = bitmap.GetPixel(30, 20);
        Assert.True(inside.Red > inside.Blue, "high probability is warm");
        var outside = bitmap.GetPixel(5, 5);
        Assert.True(outside.Blue > outside.Red, "low probability is cool");
        Assert.Throws<ArgumentException>(() => OverlayPngWriter.Write(path, image, new float[10]));
    }

    [Fact]
    public void Factory_picks_writers_by_format_and_extension()
    {
        Assert.Equal("jsonl", RecordWriterFactory.FormatFromExtension("x.JSONL"));
        Assert.Equal("csv", RecordWriterFactory.FormatFromExtension("x.csv"));
        Assert.Null(RecordWriterFactory.FormatFromExtension("x.txt"));
        var e = Assert.Throws<ArgumentException>(() => RecordWriterFactory.Create("xml", File_("x.xml")));
        Assert.Contains("x.xml", e.Message);
    }
}
