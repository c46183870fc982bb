namespace SparseViT.Cli.Tests;

public sealed class BasicCommandTests
{
    [Fact]
    public void Version_names_product_and_libtorch()
    {
        var r = CliRunner.RunProcess(["--version"], TimeSpan.FromMinutes(1));
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Contains("sparsevit", r.Stdout);
        Assert.Contains("libtorch", r.Stdout);
    }

    [Fact]
    public void Unknown_option_is_a_usage_error()
    {
        var r = CliRunner.Run(["--no-such-option"], TimeSpan.FromMinutes(1));
        Assert.Equal(2, r.ExitCode);
        Assert.Empty(r.Stdout);
    }

    [Fact]
    public void Help_documents_exit_codes()
    {
        var r = CliRunner.Run(["--help"], TimeSpan.FromMinutes(1));
        Assert.Contains("3 some files failed", r.Stdout);
    }

    [Theory]
    [InlineData("manipulated", 1, 0, 0, 1)]
    [InlineData("manipulated", 0, 3, 0, 0)]
    [InlineData("manipulated", 0, 3, 2, 3)]
    [InlineData("suspicious", 0, 3, 2, 1)]
    [InlineData("error", 5, 3, 0, 0)]
    [InlineData("error", 5, 3, 1, 3)]
    [InlineData("never", 5, 3, 1, 0)]
    public void Exit_code_follows_fail_on(string level, int manipulated, int suspicious, int failed, int expected) =>
        Assert.Equal(expected, FailOnPolicy.ExitCode(FailOnPolicy.Parse(level), manipulated, suspicious, failed));
}
