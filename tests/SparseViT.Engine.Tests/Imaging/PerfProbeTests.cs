using System.Diagnostics;
using SparseViT.Engine.Imaging;
using Xunit.Abstractions;
namespace SparseViT.Engine.Tests.Imaging;
public class PerfProbeTests
{
    private readonly ITestOutputHelper _out;
    public PerfProbeTests(ITestOutputHelper o) => _out = o;
    [Fact]
    public void Probe()
    {
        var m = new float[512 * 512];
        var rng = new Random(1); for (int i = 0; i < m.Length; i++) m[i] = (float)rng.NextDouble();
        LanczosResize.Resize(m, 512, 512, 400, 300);
        var sw = Stopwatch.StartNew();
        var r = LanczosResize.Resize(m, 512, 512, 4000, 3000);
        _out.WriteLine($"lanczos 512->4000x3000: {sw.ElapsedMilliseconds} ms");
        var px = new byte[4000 * 3000 * 3]; rng.NextBytes(px);
        var img = new RgbImage(4000, 3000, px);
        OpenCvLinearResize.Resize(img, 512, 512);
        sw.Restart();
        OpenCvLinearResize.Resize(img, 512, 512);
        _out.WriteLine($"resize 4000x3000->512: {sw.ElapsedMilliseconds} ms");
        sw.Restart();
        ImagePreprocessor.Prepare(img);
        _out.WriteLine($"prepare 4000x3000: {sw.ElapsedMilliseconds} ms");
        var jpg = File.ReadAllBytes(ImagingFixtures.File("case2.jpg"));
        sw.Restart();
        for (int i = 0; i < 5; i++) ImageDecoder.Decode(jpg);
        _out.WriteLine($"decode case2 x5: {sw.ElapsedMilliseconds} ms");
    }
}
