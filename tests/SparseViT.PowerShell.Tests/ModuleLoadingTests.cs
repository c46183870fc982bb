using System.Management.Automation;

namespace SparseViT.PowerShell.Tests;

[Collection(ModuleCollection.Name)]
public sealed class ModuleLoadingTests(ModuleHost host)
{
    [Fact]
    public void Manifest_is_valid_and_targets_PowerShell_7_4_Core()
    {
        var result = host.Run("Test-ModuleManifest -Path $ManifestPath", import: false).AssertSuccess();
        var info = (PSModuleInfo)Assert.Single(result.Output).BaseObject;
        Assert.Equal(new Version(7, 4), info.PowerShellVersion);
        Assert.Equal(["Core"], info.CompatiblePSEditions);
        Assert.Equal("SparseViT.Automation.dll", Path.GetFileName(info.RootModule));
        Assert.NotEqual(new Version(0, 0, 0), info.Version);
        var psData = (System.Collections.Hashtable)((System.Collections.Hashtable)info.PrivateData)["PSData"]!;
        Assert.NotNull(psData["ProjectUri"]);
        Assert.NotNull(psData["LicenseUri"]);
        Assert.NotEmpty((object[])psData["Tags"]!);
    }

    [Fact]
    public void Get_Command_lists_exactly_the_manifest_cmdlets()
    {
        var result = host.Run("""
            $sb = [scriptblock]::Create([IO.File]::ReadAllText($ManifestPath))
            $sb.CheckRestrictedLanguage([string[]]@(), [string[]]@(), $false)
            $manifest = & $sb
            [pscustomobject]@{
                Declared = [string[]]$manifest.CmdletsToExport
                Exported = [string[]](Get-Command -Module SparseViT.Automation | ForEach-Object Name)
                Types    = [string[]](Get-Command -Module SparseViT.Automation | ForEach-Object { $_.CommandType.ToString() })
                Functions = $manifest.FunctionsToExport.Count
                Aliases  = $manifest.AliasesToExport.Count
            }
            """).AssertSuccess();
        var row = Assert.Single(result.Output);
        var declared = ((string[])row.Properties["Declared"].Value).Order().ToArray();
        Assert.Equal(8, declared.Length);
        Assert.Equal(declared, ((string[])row.Properties["Exported"].Value).Order());
        Assert.Equal(["Cmdlet"], ((string[])row.Properties["Types"].Value).Distinct());
        Assert.Equal(0, row.Properties["Functions"].Value);
        Assert.Equal(0, row.Properties["Aliases"].Value);
    }

    [Fact]
    public void Every_cmdlet_uses_an_approved_verb()
    {
        var result = host.Run("""
            $approved = [System.Management.Automation.VerbsCommon].GetFields().Name + [System.Management.Automation.VerbsData].GetFields().Name +
                        [System.Management.Automation.VerbsDiagnostic].GetFields().Name + [System.Management.Automation.VerbsLifecycle].GetFields().Name
            Get-Command -Module SparseViT.Automation | Where-Object { $approved -notcontains $_.Verb } | ForEach-Object Name
            """).AssertSuccess();
        Assert.Empty(result.Output);
    }
}
