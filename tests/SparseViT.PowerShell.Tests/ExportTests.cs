namespace SparseViT.PowerShell.Tests;

[Collection(ModuleCollection.Name)]
public sealed class ExportTests(ModuleHost host)
{
    [Fact]
    public void WhatIf_writes_nothing()
    {
        using var temp = new TempFolder();
        string report = Path.Combine(temp.Path, "report.csv");
        var result = host.Run("""
            [IO.DirectoryInfo]::new($Samples).GetFiles('*.jpg') | Test-ImageManipulation -Checkpoint $Fixture |
                Export-ForensicReport -Path $Report -WhatIf
            """, new Dictionary<string, object?> { ["Report"] = report }).AssertSuccess();
        Assert.Empty(result.Output);
        Assert.False(File.Exists(report));
        Assert.Empty(Directory.GetFiles(temp.Path));
    }

    [Fact]
    public void Csv_report_parses_back_with_one_row_per_record()
    {
        using var temp = new TempFolder();
        string report = Path.Combine(temp.Path, "reports", "scan.csv");
        var result = host.Run("""
            $results = [IO.DirectoryInfo]::new($Samples).GetFiles('*.jpg') | Test-ImageManipulation -Checkpoint $Fixture
            $results | Export-ForensicReport -Path $Report -Force -PassThru
            """, new Dictionary<string, object?> { ["Report"] = report }).AssertSuccess();
        Assert.Equal(report, ((FileInfo)Assert.Single(result.Output).BaseObject).FullName);

        var rows = Csv.Read(report);
        Assert.Equal(3, rows.Count);
        Assert.Equal(["sample_1.jpg", "sample_2.jpg", "sample_3.jpg"], rows.Select(r => Path.GetFileName(r["path"])).Order());
        Assert.All(rows, r => Assert.InRange(double.Parse(r["scoreMax"], System.Globalization.CultureInfo.InvariantCulture), 0, 1));
        Assert.Contains(rows, r => r["software"] == "Adobe Photoshop CS2 Windows");
    }

    [Fact]
    public void Existing_reports_need_Force_and_Jsonl_appends()
    {
        using var temp = new TempFolder();
        string jsonl = Path.Combine(temp.Path, "scan.jsonl");
        string json = Path.Combine(temp.Path, "scan.json");
        var result = host.Run("""
            $r = Get-ImageForensicMetadata -Path "$Samples/sample_*.jpg"
            $r | Export-ForensicReport $Jsonl
            $r[0] | Export-ForensicReport $Jsonl -Append
            $r | Export-ForensicReport $Json
            try { $r | Export-ForensicReport $Json -ErrorAction Stop } catch { $_.FullyQualifiedErrorId }
            """, new Dictionary<string, object?> { ["Jsonl"] = jsonl, ["Json"] = json });
        Assert.Null(result.Terminating);
        Assert.Equal(4, File.ReadAllLines(jsonl).Count(l => l.Trim().Length > 0));
        Assert.StartsWith("[", File.ReadAllText(json).TrimStart());
        Assert.StartsWith("ReportExists", Assert.Single(result.Output).ToString());
    }
}
