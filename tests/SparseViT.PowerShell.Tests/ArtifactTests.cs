namespace SparseViT.PowerShell.Tests;

[Collection(ModuleCollection.Name)]
public sealed class ArtifactTests(ModuleHost host)
{
    [Fact]
    public void Masks_are_written_and_SkipMetadata_leaves_metadata_out()
    {
        using var temp = new TempFolder();
        string masks = Path.Combine(temp.Path, "masks");
        var result = host.Run(
            "Test-ImageManipulation -LiteralPath ([IO.Path]::Combine($Samples, 'sample_1.jpg')) -Checkpoint $Fixture -MaskDirectory $Masks -SkipMetadata",
            new Dictionary<string, object?> { ["Masks"] = masks }).AssertSuccess();
        var row = Assert.Single(result.Output);
        string mask = (string)row.Properties["MaskPath"].Value;
        Assert.StartsWith(masks, mask);
        Assert.True(File.Exists(mask));
        Assert.Null(row.Properties["Software"].Value);
        Assert.Null(row.Properties["Indicators"].Value);
    }
}
