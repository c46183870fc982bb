namespace SparseViT.Forensics.Provenance;

public sealed record ProvenanceSigner
{
    public string? CommonName { get; init; }
    public string? Organization { get; init; }
    public required string Subject { get; init; }
    public required string Issuer { get; init; }
    public required string SerialNumber { get; init; }
    public DateTimeOffset NotBefore { get; init; }
    public DateTimeOffset NotAfter { get; init; }
    /// <summary>COSE algorithm: ES256, PS256, EdDSA, …</summary>
    public string? Algorithm { get; init; }
    public int ChainLength { get; init; }
}
