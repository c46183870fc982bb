using System.Text.Json;

namespace SparseViT.Cli.Tests;

public sealed class CheckpointCommandTests
{
    private static string Fixture(string name) => Path.Combine(CliRunner.Shared, "fixtures", "sparsevit-tiny", name);

    [Fact]
    public void Inspect_reports_configuration_parameters_and_hash_as_json()
    {
        var r = CliRunner.Run(["checkpoint", "inspect", Fixture("checkpoint.pth"), "--format", "json"], TimeSpan.FromMinutes(1));
        Assert.True(r.ExitCode == 0, r.ToString());
        using var doc = JsonDocument.Parse(r.Stdout);
        Assert.Equal(453857, doc.RootElement.GetProperty("trainableParameters").GetInt64());
        Assert.Equal(428, doc.RootElement.GetProperty("tensors").GetInt32());
        Assert.Equal(64, doc.RootElement.GetProperty("sha256").GetString()!.Length);
        Assert.Equal([1, 1, 15, 4], doc.RootElement.GetProperty("configuration").GetProperty("depths").EnumerateArray().Select(e => e.GetInt32()));
    }

    [Theory]
    [InlineData("hostile-code-exec.pth", "posix.system")]
    [InlineData("broken-truncated.pth", "truncated")]
    public void Inspect_refuses_hostile_and_broken_files_with_the_reason(string name, string reason)
    {
        var r = CliRunner.Run(["checkpoint", "inspect", Fixture(name)], TimeSpan.FromMinutes(1));
        Assert.Equal(4, r.ExitCode);
        Assert.Contains(reason, r.Stderr);
        Assert.Empty(r.Stdout);
    }

    [Fact]
    public void Convert_writes_safetensors_that_inspect_reads_back()
    {
        string target = Path.Combine(Path.GetTempPath(), $"sparsevit-convert-{Guid.NewGuid():N}.safetensors");
        try
        {
            var c = CliRunner.Run(["checkpoint", "convert", Fixture("variant-fp16.pth"), "--output", target], TimeSpan.FromMinutes(1));
            Assert.True(c.ExitCode == 0, c.ToString());
            var r = CliRunner.Run(["checkpoint", "inspect", target, "--format", "json"], TimeSpan.FromMinutes(1));
            Assert.True(r.ExitCode == 0, r.ToString());
            using var doc = JsonDocument.Parse(r.Stdout);
            Assert.Equal(453857, doc.RootElement.GetProperty("trainableParameters").GetInt64());
        }
        finally
        {
            File.Delete(target);
        }
    }

    [Fact]
    public void Convert_fp16_halves_like_torch_and_keeps_the_configuration()
    {
        // The fixture's variant-fp16.pth is the authors' checkpoint after torch's .half(): converting the fp32 checkpoint
        // with --fp16 must give the very same bits, and the configuration must travel in the metadata.
        string target = Path.Combine(Path.GetTempPath(), $"sparsevit-convert-{Guid.NewGuid():N}.safetensors");
        try
        {
            var c = CliRunner.Run(["checkpoint", "convert", Fixture("checkpoint.pth"), "--output", target, "--fp16"], TimeSpan.FromMinutes(1));
            Assert.True(c.ExitCode == 0, c.ToString());
            var converted = SparseViT.Engine.Checkpoints.CheckpointLoader.Load(target);
            var torchHalf = SparseViT.Engine.Checkpoints.CheckpointLoader.Load(Fixture("variant-fp16.pth"));
            Assert.True(converted.Metadata.ContainsKey("sparsevit_config"));
            int compared = 0;
            foreach (var tensor in converted.StateDict.Values)
            {
                var reference = torchHalf.StateDict[tensor.Name];
                Assert.Equal(reference.DType, tensor.DType);
                Assert.True(reference.Data.Span.SequenceEqual(tensor.Data.Span), tensor.Name);
                compared++;
            }
            Assert.Equal(torchHalf.StateDict.Count, compared);
        }
        finally
        {
            File.Delete(target);
        }
    }
}
