using System.Management.Automation;
using SparseViT.Engine.Imaging;

namespace SparseViT.PowerShell.Cmdlets;

/// <summary>
/// Lists the image formats Test-ImageManipulation and Get-ImageForensicMetadata read, optionally by id or extension
/// (wildcards), so scripts can feed Get-ChildItem -Include with exactly what the scanner decodes.
/// </summary>
[Cmdlet(VerbsCommon.Get, "SparseViTImageFormat")]
[OutputType(typeof(ImageFormatInfo))]
public sealed class GetSparseViTImageFormatCommand : SparseViTCmdlet
{
    [Parameter(Position = 0)]
    [SupportsWildcards]
    [ValidateNotNullOrEmpty]
    public string[]? Name { get; set; }

    protected override void EndProcessing()
    {
        var patterns = Name?.Select(p => new WildcardPattern(p.TrimStart('.'), WildcardOptions.IgnoreCase)).ToArray();
        foreach (var format in ImageFormat.Readable)
        {
            if (patterns is not null && !patterns.Any(p => p.IsMatch(format.Id) || format.Extensions.Any(p.IsMatch))) continue;
            WriteObject(new ImageFormatInfo(format));
        }
    }
}
