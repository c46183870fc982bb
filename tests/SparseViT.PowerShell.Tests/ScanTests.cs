using System.Management.Automation;

namespace SparseViT.PowerShell.Tests;

[Collection(ModuleCollection.Name)]
public sealed class ScanTests(ModuleHost host)
{
    private static readonly string[] SampleNames = ["sample_1.jpg", "sample_2.jpg", "sample_3.jpg"];

    [Fact]
    public void FileInfo_pipeline_returns_one_record_per_image_with_progress()
    {
        var result = host.Run("[IO.DirectoryInfo]::new($Samples).GetFiles('*.jpg') | Test-ImageManipulation -Checkpoint $Fixture -BatchSize 2").AssertSuccess();

        Assert.Equal(SampleNames, result.Output.Select(o => Path.GetFileName((string)o.Properties["Path"].Value)).Order());
        foreach (var record in result.Output)
        {
            Assert.Equal("SparseViT.PowerShell.ImageManipulationResult", record.TypeNames[0]);
            Assert.Equal("ok", record.Properties["Status"].Value);
            Assert.Contains((string)record.Properties["Verdict"].Value, new[] { "manipulated", "suspicious", "no-evidence" });
            double score = (double)record.Properties["Score"].Value;
            Assert.InRange(score, 0.0, 1.0);
            Assert.NotNull(record.Properties["ManipulatedFraction"].Value);
            Assert.NotNull(record.Properties["Record"]?.Value ?? record.BaseObject.GetType().GetProperty("Record")!.GetValue(record.BaseObject));
        }
        var sample1 = result.Output.Single(o => ((string)o.Properties["Path"].Value).EndsWith("sample_1.jpg"));
        Assert.Equal("Adobe Photoshop CS2 Windows", sample1.Properties["Software"].Value);

        Assert.NotEmpty(result.Progress);
        Assert.Contains(result.Progress, p => p.StatusDescription.Contains("3 of 3"));
        Assert.Contains(result.Progress, p => p.RecordType == ProgressRecordType.Completed);
    }

    [Fact]
    public void String_paths_with_wildcards_resolve_against_the_location()
    {
        var result = host.Run("""
            $null = $ExecutionContext.SessionState.Path.SetLocation($Samples)
            $a = Test-ImageManipulation -Path 'sample_[12].jpg' -Checkpoint $Fixture
            $b = 'sample_*.jpg' | Test-ImageManipulation -Checkpoint $Fixture
            [pscustomobject]@{ A = @($a).Count; B = @($b).Count; First = $a[0].Path }
            """).AssertSuccess();
        var row = Assert.Single(result.Output);
        Assert.Equal(2, row.Properties["A"].Value);
        Assert.Equal(3, row.Properties["B"].Value);
        Assert.Equal(Path.Combine(host.SamplesDir, "sample_1.jpg"), row.Properties["First"].Value);
    }

    [Fact]
    public void LiteralPath_takes_brackets_as_written()
    {
        using var temp = new TempFolder();
        string odd = temp.Copy(Path.Combine(host.SamplesDir, "sample_1.jpg"), "case [1]/img[1].jpg");
        var result = host.Run("""
            $literal = Test-ImageManipulation -LiteralPath $Odd -Checkpoint $Fixture
            $piped = [IO.FileInfo]::new($Odd) | Test-ImageManipulation -Checkpoint $Fixture
            $literal; $piped
            """, new Dictionary<string, object?> { ["Odd"] = odd }).AssertSuccess();
        Assert.Equal(2, result.Output.Count);
        Assert.All(result.Output, o => Assert.Equal(odd, o.Properties["Path"].Value));
    }

    [Fact]
    public void A_broken_file_is_a_non_terminating_error_and_the_good_files_still_come_out()
    {
        using var temp = new TempFolder();
        temp.Copy(Path.Combine(host.SamplesDir, "sample_1.jpg"), "a_good.jpg");
        byte[] jpeg = File.ReadAllBytes(Path.Combine(host.SamplesDir, "sample_2.jpg"));
        string broken = temp.Write("b_broken.jpg", jpeg[..(jpeg.Length / 3)]);
        string garbage = temp.Write("c_garbage.jpg", "this is not an image"u8.ToArray());
        temp.Copy(Path.Combine(host.SamplesDir, "sample_2.jpg"), "d_good.jpg");

        var result = host.Run("[IO.DirectoryInfo]::new($Dir).GetFiles('*.jpg') | Test-ImageManipulation -Checkpoint $Fixture -BatchSize 8",
            new Dictionary<string, object?> { ["Dir"] = temp.Path });

        Assert.Null(result.Terminating);
        Assert.Equal(["a_good.jpg", "d_good.jpg"], result.Output.Select(o => (string)o.Properties["Name"].Value).Order());
        var garbageError = Assert.Single(result.Errors, e => Equals(e.TargetObject, garbage));
        Assert.StartsWith("ImageUnrecognized", garbageError.FullyQualifiedErrorId);
        Assert.Equal(ErrorCategory.InvalidData, garbageError.CategoryInfo.Category);
        // A JPEG cut to a third may decode partially (truncated) or not at all, depending on where the cut falls;
        // either way the engine's decode code must reach the ErrorId.
        var brokenErrors = result.Errors.Where(e => Equals(e.TargetObject, broken)).ToList();
        if (brokenErrors.Count > 0)
            Assert.Matches("^Image(Truncated|DecodeFailed)", Assert.Single(brokenErrors).FullyQualifiedErrorId);
    }

    [Fact]
    public void Missing_paths_are_errors_with_the_path_as_target()
    {
        string missing = Path.Combine(host.SamplesDir, "no-such-file.jpg");
        var result = host.Run("Test-ImageManipulation -LiteralPath $Missing, ([IO.Path]::Combine($Samples, 'sample_1.jpg')) -Checkpoint $Fixture",
            new Dictionary<string, object?> { ["Missing"] = missing });
        Assert.Single(result.Output);
        var error = Assert.Single(result.Errors);
        Assert.Equal(missing, error.TargetObject);
        Assert.Equal(ErrorCategory.ObjectNotFound, error.CategoryInfo.Category);
    }

    [Fact]
    public void Default_display_and_all_visible_properties_are_scalars()
    {
        var result = host.Run("""
            $r = Test-ImageManipulation -LiteralPath "$Samples/sample_1.jpg" -Checkpoint $Fixture
            [pscustomobject]@{
                Default = [string[]]$r.PSStandardMembers.DefaultDisplayPropertySet.ReferencedPropertyNames
                Visible = [string[]]$r.psobject.Properties.Name
                Result = $r
            }
            """).AssertSuccess();
        var row = Assert.Single(result.Output);
        var record = (PSObject)row.Properties["Result"].Value;
        var defaults = (string[])row.Properties["Default"].Value;
        var visible = (string[])row.Properties["Visible"].Value;
        Assert.Contains("Verdict", defaults);
        Assert.Contains("Score", defaults);
        Assert.DoesNotContain("Record", visible); // hidden: Export-Csv must not write a type-name column
        foreach (string name in defaults.Concat(visible).Distinct())
        {
            object? value = record.Properties[name].Value;
            if (value is PSObject wrapped) value = wrapped.BaseObject;
            Assert.True(value is null or string or bool or DateTime or DateTimeOffset or int or long or double or float or decimal,
                $"{name} is {value?.GetType().FullName}");
        }
        // The nested detail is still reachable.
        var nested = host.Run("(Test-ImageManipulation -LiteralPath ([IO.Path]::Combine($Samples, 'sample_1.jpg')) -Checkpoint $Fixture).Record.Scores.Resolution").AssertSuccess();
        Assert.True(Convert.ToInt32(Assert.Single(nested.Output).BaseObject) > 0);
    }

    [Fact]
    public void Models_are_loaded_once_and_reused_through_Model()
    {
        var result = host.Run("""
            $m1 = Import-SparseViTModel -Checkpoint $Fixture -Device cpu
            $m2 = Import-SparseViTModel $Fixture -Device cpu -Precision fp32
            $scan = "$Samples/sample_2.jpg" | Test-ImageManipulation -Model $m1
            [pscustomobject]@{
                Same = [object]::ReferenceEquals($m1, $m2)
                Listed = @(Get-SparseViTModel -Checkpoint *checkpoint.pth -Device cpu).Count
                Parameters = $m1.Parameters
                Device = $m1.Device
                ScanModel = $scan.ModelName
                ScanDevice = $scan.Device
            }
            """).AssertSuccess();
        var row = Assert.Single(result.Output);
        Assert.True((bool)row.Properties["Same"].Value);
        Assert.True((int)row.Properties["Listed"].Value >= 1);
        Assert.True((long)row.Properties["Parameters"].Value > 0);
        Assert.Equal("cpu", row.Properties["Device"].Value);
        Assert.Equal("cpu", row.Properties["ScanDevice"].Value);
    }

    [Fact]
    public void A_missing_checkpoint_is_a_terminating_error_with_a_specific_id()
    {
        var result = host.Run("Test-ImageManipulation -Path ([IO.Path]::Combine($Samples, 'sample_1.jpg')) -Checkpoint ./nope.pth");
        // Statement-terminating inside a script: it lands on the error stream rather than throwing from Invoke.
        var error = result.Terminating is IContainsErrorRecord t ? t.ErrorRecord : Assert.Single(result.Errors);
        Assert.StartsWith("CheckpointNotFound", error.FullyQualifiedErrorId);
        Assert.Empty(result.Output);
    }
}

[Collection(ModuleCollection.Name)]
public sealed class StopAndOtherCmdletTests(ModuleHost host)
{
    [Fact]
    public void Ctrl_C_stops_a_long_scan_promptly()
    {
        using var temp = new TempFolder();
        for (int i = 0; i < 40; i++) temp.Copy(Path.Combine(host.SamplesDir, "sample_1.jpg"), $"copy_{i:00}.jpg");
        var (outputs, stopTime, completed) = host.StopAfterFirstOutput(
            "[IO.DirectoryInfo]::new($Dir).GetFiles('*.jpg') | Test-ImageManipulation -Checkpoint $Fixture -BatchSize 1",
            new Dictionary<string, object?> { ["Dir"] = temp.Path }, TimeSpan.FromMinutes(2));
        Assert.False(completed);
        Assert.InRange(outputs, 1, 39);
        // One in-flight batch of one small image may finish; a whole scan must not.
        Assert.True(stopTime < TimeSpan.FromSeconds(15), $"Stop took {stopTime}");
    }

    [Fact]
    public void Metadata_without_the_model_reports_software_and_indicators()
    {
        var result = host.Run("""
            [IO.DirectoryInfo]::new($Samples).GetFiles('sample_1.jpg') | Get-ImageForensicMetadata
            """).AssertSuccess();
        var row = Assert.Single(result.Output);
        Assert.Equal("SparseViT.PowerShell.ImageForensicMetadata", row.TypeNames[0]);
        Assert.Equal("Adobe Photoshop CS2 Windows", row.Properties["Software"].Value);
        Assert.Null(row.Properties["Score"].Value);
        Assert.Contains("editing-software", (string)row.Properties["Indicators"].Value);
    }

    [Fact]
    public void Accuracy_is_measured_against_ground_truth_masks()
    {
        var result = host.Run("""
            Measure-ManipulationAccuracy -Path "$Samples/sample_[12].jpg" -GroundTruth $GroundTruth -Checkpoint $Fixture -PerImage
            """).AssertSuccess();
        var perImage = result.Output.Where(o => o.TypeNames[0] == "SparseViT.PowerShell.ImageAccuracy").ToList();
        var summary = Assert.Single(result.Output, o => o.TypeNames[0] == "SparseViT.PowerShell.ManipulationAccuracy");
        Assert.Equal(2, perImage.Count);
        Assert.Equal(2, summary.Properties["Images"].Value);
        Assert.InRange((double)summary.Properties["PixelF1"].Value, 0.0, 1.0);
        Assert.InRange((double)summary.Properties["PixelIoU"].Value, 0.0, 1.0);
        Assert.All(perImage, p => Assert.True((bool)p.Properties["IsManipulated"].Value));
    }
}
