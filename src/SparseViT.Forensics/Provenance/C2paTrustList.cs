using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace SparseViT.Forensics.Provenance;

/// <summary>
/// The trust anchors a user supplies for C2PA signers: a PEM file of CA certificates (as c2patool's trust_anchors, or the
/// C2PA trust list). Without one every signer is verified but reported untrusted.
/// </summary>
public static class C2paTrustList
{
    public const long MaxFileBytes = 16 << 20;

    /// <exception cref="InvalidDataException">The file is missing, too large, or holds no PEM certificate.</exception>
    public static X509Certificate2Collection Load(string path)
    {
        var info = new FileInfo(path);
        if (!info.Exists) throw new InvalidDataException($"{path}: C2PA trust list not found");
        if (info.Length > MaxFileBytes) throw new InvalidDataException($"{path}: C2PA trust list is {info.Length} bytes, more than the {MaxFileBytes >> 20} MB read");
        var anchors = new X509Certificate2Collection();
        try
        {
            anchors.ImportFromPem(File.ReadAllText(path));
        }
        catch (CryptographicException e)
        {
            throw new InvalidDataException($"{path}: C2PA trust list is not a PEM list of certificates ({e.Message})", e);
        }
        if (anchors.Count == 0) throw new InvalidDataException($"{path}: C2PA trust list holds no PEM certificate");
        return anchors;
    }
}
