using SkiaSharp;
using SparseViT.Cli.Commands;
using SparseViT.Training.Data;

namespace SparseViT.Cli.Tests;

public sealed class TrainCommandTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "sparsevit-train-cli-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
    }

    [Theory]
    [InlineData("90s", 90)]
    [InlineData("7m", 420)]
    [InlineData("1h30m", 5400)]
    [InlineData("2.5h", 9000)]
    [InlineData("45", 45)]
    [InlineData("01:30:00", 5400)]
    public void Durations_read_as_typed(string text, double seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), Durations.Parse(text, "--time-budget"));

    [Theory]
    [InlineData("soon")]
    [InlineData("0s")]
    [InlineData("-5m")]
    [InlineData("")]
    public void Bad_durations_name_the_option(string text)
    {
        var e = Assert.Throws<ArgumentException>(() => Durations.Parse(text, "--time-budget"));
        Assert.Contains("--time-budget", e.Message);
    }

    [Fact]
    public void Bad_time_budget_is_a_usage_error()
    {
        var r = CliRunner.Run(["train", "--photos", _dir, "-o", Path.Combine(_dir, "out"), "--time-budget", "soon"], TimeSpan.FromMinutes(1));
        Assert.True(r.ExitCode == 2, r.ToString());
        Assert.Contains("--time-budget", r.Stderr);
        Assert.Empty(r.Stdout);
    }

    [Fact]
    public void Export_photos_writes_a_portable_set_with_the_same_split()
    {
        string photos = Path.Combine(_dir, "photos");
        Directory.CreateDirectory(photos);
        // Names chosen so that both sides of the split are present (FNV-1a of the identity mod 5).
        var names = Enumerable.Range(0, 40).Select(i => $"photo{i:D2}").ToList();
        var heldOut = names.Where(n => PhotoLibrary.SplitOf(n) == PhotoSplit.HeldOut).ToList();
        Assert.NotEmpty(heldOut);
        var chosen = names.Take(6).Concat(heldOut.Take(1)).Distinct().ToList();
        foreach (var name in chosen) WritePhoto(Path.Combine(photos, name + ".png"), name == chosen[0] ? 1100 : 320, name == chosen[0] ? 1300 : 400);
        WritePhoto(Path.Combine(photos, "icon.png"), 64, 64); // below the 256 px minimum: not a photo

        string pack = Path.Combine(_dir, "pack");
        var r = CliRunner.Run(["train", "--photos", photos, "--export-photos", pack, "-o", Path.Combine(_dir, "unused")], TimeSpan.FromMinutes(2));
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Contains($"wrote {chosen.Count} photos ({chosen.Count - 1} training, 1 held out", r.Stderr);
        Assert.Empty(r.Stdout);
        var files = Directory.GetFiles(pack).Select(Path.GetFileName).OrderBy(f => f, StringComparer.Ordinal).ToList();
        Assert.Equal(chosen.Select(n => n + ".jpg").OrderBy(f => f, StringComparer.Ordinal), files);
        // Reduced as training keeps photos: short side at most 1024 (1100×1300 → 1024×1210); smaller ones as they are.
        using (var large = SKCodec.Create(Path.Combine(pack, chosen[0] + ".jpg")))
            Assert.Equal(new SKSizeI(1024, 1210), large.Info.Size);
        using (var small = SKCodec.Create(Path.Combine(pack, chosen[1] + ".jpg")))
            Assert.Equal(new SKSizeI(320, 400), small.Info.Size);
        Assert.False(Directory.Exists(Path.Combine(_dir, "unused")));
    }

    private static void WritePhoto(string path, int width, int height)
    {
        using var bitmap = new SKBitmap(width, height);
        var random = new Random(path.Length);
        for (int y = 0; y < height; y++)
            for (int x = 0; x < width; x++)
                bitmap.SetPixel(x, y, new SKColor((byte)(x * 255 / width), (byte)(y * 255 / height), (byte)random.Next(256)));
        using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        File.WriteAllBytes(path, data.ToArray());
    }
}
