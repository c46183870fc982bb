using SparseViT.Tests.Shared;

namespace SparseViT.PowerShell.Tests;

/// <summary>
/// The module with the shipped model, used as scripts use it: the same folder piped through three times in one session,
/// then two runspaces scanning at once (ForEach-Object -Parallel). Every record equals the file scanned alone.
/// (This host has no Microsoft.PowerShell.Management, hence DirectoryInfo rather than Get-ChildItem.)
/// </summary>
[Collection(ModuleCollection.Name)]
public sealed class OneImageOneAnswerTests(ModuleHost host)
{
    private string DefaultCheckpoint => Path.Combine(host.RepoRoot, "checkpoints", "default", "sparsevit-default.safetensors");

    [Fact]
    public void Three_rounds_in_one_session_and_two_parallel_runspaces_give_every_file_its_single_file_answer()
    {
        using var temp = new TempFolder();
        for (int c = 1; c <= 20; c++)
            foreach (var sample in Directory.GetFiles(host.SamplesDir))
                temp.Copy(sample, $"copy{c:D2}_{Path.GetFileName(sample)}");

        var result = host.Run("""
            $alone = @{}
            foreach ($sample in [IO.DirectoryInfo]::new($Samples).GetFiles()) {
                $r = Test-ImageManipulation -LiteralPath $sample.FullName -Checkpoint $Model -BatchSize 1
                $alone[$sample.Name] = $r
            }
            $rounds = @(
                @([IO.DirectoryInfo]::new($Copies).GetFiles() | Test-ImageManipulation -Checkpoint $Model),
                @([IO.DirectoryInfo]::new($Copies).GetFiles() | Test-ImageManipulation -Checkpoint $Model -BatchSize 8),
                @([IO.DirectoryInfo]::new($Copies).GetFiles() | Test-ImageManipulation -Checkpoint $Model -BatchSize 1)
            )
            $parallel = @(1, 2 | ForEach-Object -ThrottleLimit 2 -Parallel {
                Import-Module $using:ManifestPath
                [IO.DirectoryInfo]::new($using:Copies).GetFiles() | Test-ImageManipulation -Checkpoint $using:Model -BatchSize (3 * $_)
            })
            foreach ($set in @($rounds + , $parallel)) {
                $worst = 0.0; $bad = 0
                foreach ($r in $set) {
                    $expected = $alone[$r.Name.Substring($r.Name.IndexOf('_') + 1)]
                    if (-not [double]::IsFinite($r.Score) -or -not [double]::IsFinite($r.MeanScore)) { $bad++ }
                    $worst = [Math]::Max($worst, [Math]::Max([Math]::Abs($r.Score - $expected.Score), [Math]::Abs($r.MeanScore - $expected.MeanScore)))
                    if ($r.Verdict -ne $expected.Verdict) { $bad++ }
                }
                [pscustomobject]@{ Count = $set.Count; NonFiniteOrOtherVerdict = $bad; Worst = $worst }
            }
            """, new Dictionary<string, object?> { ["Copies"] = temp.Path, ["Model"] = DefaultCheckpoint }).AssertSuccess();

        Assert.Equal(4, result.Output.Count);
        Assert.Equal([60, 60, 60, 120], result.Output.Select(o => (int)o.Properties["Count"].Value));
        Assert.All(result.Output, o =>
        {
            Assert.Equal(0, (int)o.Properties["NonFiniteOrOtherVerdict"].Value);
            Assert.True((double)o.Properties["Worst"].Value <= 1e-6, $"scores differ by {o.Properties["Worst"].Value} from the single-file scan");
        });
    }

    [Fact]
    public void A_checkpoint_with_a_NaN_weight_writes_ModelOutputNotFinite_errors_and_no_results()
    {
        using var temp = new TempFolder();
        string poisoned = PoisonedCheckpoint.Write(DefaultCheckpoint, Path.Combine(temp.Path, "nan.safetensors"));
        var result = host.Run("[IO.DirectoryInfo]::new($Samples).GetFiles() | Test-ImageManipulation -Checkpoint $Poisoned -BatchSize 2",
            new Dictionary<string, object?> { ["Poisoned"] = poisoned });

        Assert.Null(result.Terminating);
        Assert.Empty(result.Output);
        Assert.Equal(3, result.Errors.Count);
        Assert.All(result.Errors, e =>
        {
            Assert.StartsWith("ModelOutputNotFinite,", e.FullyQualifiedErrorId);
            Assert.Equal(System.Management.Automation.ErrorCategory.InvalidResult, e.CategoryInfo.Category);
            Assert.StartsWith(host.SamplesDir, (string)e.TargetObject);
            Assert.Contains("NaN or infinite", e.ErrorDetails.Message);
        });
    }
}
