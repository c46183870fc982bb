using System.Management.Automation;
using System.Security.Cryptography.X509Certificates;
using SparseViT.Forensics.Provenance;

namespace SparseViT.PowerShell.Cmdlets;

/// <summary>-C2paTrust: a PEM trust list for C2PA signers, loaded once per pipeline; a bad file stops the command before any image is read.</summary>
internal static class C2paTrustParameter
{
    public static X509Certificate2Collection? Resolve(SparseViTCmdlet cmdlet, string? path)
    {
        if (string.IsNullOrWhiteSpace(path)) return null;
        string full = cmdlet.SessionState.Path.GetUnresolvedProviderPathFromPSPath(path);
        try
        {
            return C2paTrustList.Load(full);
        }
        catch (InvalidDataException e)
        {
            cmdlet.ThrowTerminatingError(new ErrorRecord(e, "C2paTrustInvalid", ErrorCategory.InvalidArgument, path));
            return null;
        }
    }
}
