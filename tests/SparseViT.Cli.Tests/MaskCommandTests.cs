using SparseViT.Engine.IO;

namespace SparseViT.Cli.Tests;

public sealed class MaskCommandTests
{
    private static string Fixture(string name) => Path.Combine(CliRunner.Shared, "fixtures", "sparsevit-tiny", name);

    [Fact]
    public void Npy_map_at_original_size_matches_the_reference()
    {
        string target = Path.Combine(Path.GetTempPath(), $"sparsevit-mask-{Guid.NewGuid():N}.npy");
        try
        {
            var r = CliRunner.Run(["mask", Fixture("case1.jpg"), "--checkpoint", Fixture("checkpoint.pth"), "--output", target], TimeSpan.FromMinutes(2));
            Assert.True(r.ExitCode == 0, r.ToString());
            var ours = NpyArray.Read(target);
            var reference = NpyArray.Read(Fixture("case1.mask.npy"));
            Assert.Equal(reference.Shape, ours.Shape);
            var a = ours.AsFloat32();
            var b = reference.AsFloat32();
            double worst = a.Zip(b, (x, y) => Math.Abs(x - y)).Max();
            Assert.True(worst < 2e-3, $"max |Δ| {worst}");
        }
        finally
        {
            File.Delete(target);
        }
    }

    [Fact]
    public void Png_map_at_model_resolution_and_bad_extension_is_usage_error()
    {
        string target = Path.Combine(Path.GetTempPath(), $"sparsevit-mask-{Guid.NewGuid():N}.png");
        try
        {
            var r = CliRunner.Run(["mask", Fixture("case3.png"), "--checkpoint", Fixture("checkpoint.pth"), "--output", target, "--resolution", "model"], TimeSpan.FromMinutes(2));
            Assert.True(r.ExitCode == 0, r.ToString());
            var bytes = File.ReadAllBytes(target);
            Assert.Equal(0x89, bytes[0]);
            Assert.Equal(512, System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(16)));
            var bad = CliRunner.Run(["mask", Fixture("case3.png"), "--checkpoint", Fixture("checkpoint.pth"), "--output", "x.bmp"], TimeSpan.FromMinutes(1));
            Assert.Equal(2, bad.ExitCode);
        }
        finally
        {
            File.Delete(target);
        }
    }
}
