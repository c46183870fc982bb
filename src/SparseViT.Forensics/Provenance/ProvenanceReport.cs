namespace SparseViT.Forensics.Provenance;

/// <summary>
/// The <c>provenance</c> section of a forensic record: the embedded C2PA manifest store, what its active manifest
/// claims, and what this reader verified (status codes as the C2PA specification names them). Present on every record
/// whose metadata was read; <see cref="Present"/> false when the file has no manifest store.
/// </summary>
public sealed record ProvenanceReport
{
    public bool Present { get; init; }
    /// <summary>Where the store was found: jpeg-app11, png-caBX, webp-C2PA, bmff-uuid, tiff-0xCD41.</summary>
    public string? Location { get; init; }
    /// <summary>valid, trusted, invalid (a failure code other than an untrusted signer), prerelease (not validated), unreadable.</summary>
    public string? ValidationState { get; init; }
    public string? ActiveManifest { get; init; }
    public int ManifestCount { get; init; }
    public int? ClaimVersion { get; init; }
    public string? ClaimGenerator { get; init; }
    public string? Title { get; init; }
    public ProvenanceSigner? Signer { get; init; }
    /// <summary>The verified RFC 3161 time stamp's time; null when there is none or it did not verify.</summary>
    public DateTimeOffset? SigningTime { get; init; }
    public string? TimeStampAuthority { get; init; }
    public string? HardBinding { get; init; }
    public ProvenanceStatus Status { get; init; } = new();
    public IReadOnlyList<ProvenanceAction> Actions { get; init; } = [];
    public int IngredientCount { get; init; }
    public IReadOnlyList<ProvenanceIngredient> Ingredients { get; init; } = [];
    /// <summary>True when any manifest in the store declares a generative or algorithmic digital source type.</summary>
    public bool AiGenerated { get; init; }
    /// <summary>Which assertion says so: "c2pa.actions.v2 of urn:…: c2pa.created, digitalSourceType trainedAlgorithmicMedia".</summary>
    public string? AiAssertion { get; init; }
    /// <summary>Every manifest in store order (ingredients' own manifests included), each with its own signature check.</summary>
    public IReadOnlyList<ManifestSummary> Manifests { get; init; } = [];
    /// <summary>XMP dcterms:provenance: a stale reference when no store is embedded (a stripped manifest), or a remote manifest URL.</summary>
    public string? XmpProvenance { get; init; }
    /// <summary>What was deliberately not checked: OCSP/CRL revocation, remote manifests, CAWG identity assertions.</summary>
    public IReadOnlyList<string> NotChecked { get; init; } = [];
    /// <summary>Why the store could not be read (hostile or damaged); the pixel scan is unaffected.</summary>
    public string? Error { get; init; }

    public static ProvenanceReport Absent(string? xmpProvenance) => new() { Present = false, XmpProvenance = xmpProvenance };
}
