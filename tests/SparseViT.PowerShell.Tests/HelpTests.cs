using System.Xml.Linq;

namespace SparseViT.PowerShell.Tests;

[Collection(ModuleCollection.Name)]
public sealed class HelpTests(ModuleHost host)
{
    private static readonly XNamespace Command = "http://schemas.microsoft.com/maml/dev/command/2004/10";
    private static readonly XNamespace Dev = "http://schemas.microsoft.com/maml/dev/2004/10";

    [Fact]
    public void Every_exported_cmdlet_has_help_with_examples_through_Get_Help()
    {
        var result = host.Run("""
            Get-Command -Module SparseViT.Automation | ForEach-Object {
                $help = Get-Help $_.Name -Full
                [pscustomobject]@{
                    Name = $_.Name
                    Examples = @($help.examples.example).Count
                    Synopsis = [string]$help.Synopsis
                    Parameters = @($help.parameters.parameter).Count
                }
            }
            """).AssertSuccess();
        Assert.Equal(8, result.Output.Count);
        foreach (var row in result.Output)
        {
            string name = (string)row.Properties["Name"].Value;
            Assert.True((int)row.Properties["Examples"].Value >= 1, $"{name} has no examples");
            string synopsis = (string)row.Properties["Synopsis"].Value;
            Assert.False(string.IsNullOrWhiteSpace(synopsis) || synopsis.StartsWith(name, StringComparison.Ordinal), $"{name} has no synopsis: '{synopsis}'");
            Assert.True((int)row.Properties["Parameters"].Value >= 1, $"{name} documents no parameters");
        }
    }

    [Fact]
    public void Shipped_help_file_documents_every_parameter_of_every_cmdlet()
    {
        var help = XDocument.Load(Path.Combine(host.ModuleDir, "en-US", "SparseViT.Automation.dll-Help.xml"));
        var documented = help.Descendants(Command + "command").ToDictionary(
            c => c.Element(Command + "details")!.Element(Command + "name")!.Value.Trim(),
            c => (Parameters: c.Element(Command + "parameters")!.Elements(Command + "parameter").Select(p => p.Elements().First().Value.Trim()).ToHashSet(),
                  Examples: c.Descendants(Command + "example").Count(e => e.Element(Dev + "code")?.Value.Trim().Length > 0)));

        var result = host.Run("""
            $common = [System.Management.Automation.Cmdlet]::CommonParameters + [System.Management.Automation.Cmdlet]::OptionalCommonParameters
            Get-Command -Module SparseViT.Automation | ForEach-Object {
                $name = $_.Name
                $_.Parameters.Keys | Where-Object { $common -notcontains $_ } | ForEach-Object { "$name/$_" }
            }
            """).AssertSuccess();
        foreach (string entry in result.Output.Select(o => o.ToString()))
        {
            var (cmdlet, parameter) = (entry.Split('/')[0], entry.Split('/')[1]);
            Assert.True(documented.ContainsKey(cmdlet), $"{cmdlet} has no help");
            Assert.True(documented[cmdlet].Examples >= 1, $"{cmdlet} has no example");
            Assert.Contains(parameter, documented[cmdlet].Parameters);
        }
        Assert.True(File.Exists(Path.Combine(host.ModuleDir, "en-US", "about_SparseViT.Automation.help.txt")));
    }

    [Fact]
    public void Device_and_precision_complete_on_Tab()
    {
        var result = host.Run("""
            $line = 'Test-ImageManipulation -Device c'
            $devices = [System.Management.Automation.CommandCompletion]::CompleteInput($line, $line.Length, $null).CompletionMatches.CompletionText
            $line = 'Import-SparseViTModel -Precision '
            $precisions = [System.Management.Automation.CommandCompletion]::CompleteInput($line, $line.Length, $null).CompletionMatches.CompletionText
            [pscustomobject]@{ Devices = [string[]]$devices; Precisions = [string[]]$precisions }
            """).AssertSuccess();
        var row = Assert.Single(result.Output);
        Assert.Equal(["cpu", "cuda", "cuda:0", "cuda:1"], (string[])row.Properties["Devices"].Value);
        Assert.Equal(["fp32", "bf16", "fp16"], (string[])row.Properties["Precisions"].Value);
    }
}
