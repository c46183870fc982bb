namespace SparseViT.Forensics.Provenance;

/// <summary>
/// One manifest of a store: its claim (the signed CBOR, kept as stored), the claim signature (COSE_Sign1) and its
/// assertions by label. Parsed, not yet validated.
/// </summary>
public sealed class C2paManifest
{
    private static readonly Guid ManifestType = Guid.Parse("63326d61-0011-0010-8000-00aa00389b71");       // c2ma
    private static readonly Guid UpdateManifestType = Guid.Parse("6332756d-0011-0010-8000-00aa00389b71"); // c2um

    public required string Label { get; init; }
    public required JumbfBox Box { get; init; }
    public string? ClaimLabel { get; init; }
    public ReadOnlyMemory<byte> ClaimBytes { get; init; }
    public IReadOnlyDictionary<string, object?>? Claim { get; init; }
    public ReadOnlyMemory<byte>? SignatureBytes { get; init; }
    /// <summary>Assertion superboxes by label (c2pa.actions.v2, c2pa.hash.data, c2pa.ingredient.v3__1, …).</summary>
    public IReadOnlyDictionary<string, JumbfBox> Assertions { get; init; } = new Dictionary<string, JumbfBox>();

    public int ClaimVersion => ClaimLabel == "c2pa.claim.v2" ? 2 : 1;

    /// <summary>claim_generator (claim v1), else the claim_generator_info names and versions (claim v2).</summary>
    public string? ClaimGenerator
    {
        get
        {
            if (Claim.Text("claim_generator") is { } generator) return generator;
            var infos = Claim is not null && Claim.TryGetValue("claim_generator_info", out var v)
                ? v switch { IReadOnlyList<object?> l => l.OfType<IReadOnlyDictionary<string, object?>>(), IReadOnlyDictionary<string, object?> m => [m], _ => [] }
                : [];
            var names = infos.Select(i => string.Join(" ", new[] { i.Text("name"), i.Text("version") }.Where(s => s is not null))).Where(s => s.Length > 0).ToList();
            return names.Count > 0 ? string.Join(" ", names) : null;
        }
    }

    /// <summary>The manifests of a parsed store, in store order (the last is the active one).</summary>
    public static IReadOnlyList<C2paManifest> ReadStore(JumbfBox store)
    {
        if (store.Label != "c2pa") throw new ProvenanceFormatException($"the JUMBF superbox is labelled '{store.Label}', not 'c2pa'");
        var manifests = new List<C2paManifest>();
        foreach (var box in store.Children.Where(c => c.IsSuperbox))
        {
            if (box.ContentType != ManifestType && box.ContentType != UpdateManifestType) continue;
            manifests.Add(Read(box));
        }
        return manifests;
    }

    private static C2paManifest Read(JumbfBox box)
    {
        var claimBox = box.Child("c2pa.claim.v2") ?? box.Child("c2pa.claim");
        var claimContent = claimBox?.Content("cbor");
        var signature = box.Child("c2pa.signature")?.Content("cbor");
        var assertions = new Dictionary<string, JumbfBox>(StringComparer.Ordinal);
        foreach (var a in box.Child("c2pa.assertions")?.Children.Where(c => c.IsSuperbox && c.Label is not null) ?? [])
            assertions.TryAdd(a.Label!, a);
        IReadOnlyDictionary<string, object?>? claim = null;
        if (claimContent is not null)
            claim = CborData.Decode(claimContent.Payload) as IReadOnlyDictionary<string, object?>
                    ?? throw new ProvenanceFormatException($"the claim of manifest {box.Label} is not a CBOR map");
        return new C2paManifest
        {
            Label = box.Label ?? "", Box = box, ClaimLabel = claimBox?.Label, ClaimBytes = claimContent?.Payload ?? default, Claim = claim,
            SignatureBytes = signature?.Payload, Assertions = assertions,
        };
    }

    /// <summary>The CBOR of an assertion (its 'cbor' content box), or null for JSON/binary assertions and absent ones.</summary>
    public IReadOnlyDictionary<string, object?>? AssertionData(string label) =>
        Assertions.TryGetValue(label, out var box) && box.Content("cbor") is { } cbor ? CborData.Decode(cbor.Payload) as IReadOnlyDictionary<string, object?> : null;

    /// <summary>Assertion labels with this base name, instance suffixes included (c2pa.ingredient.v3, c2pa.ingredient.v3__1, …).</summary>
    public IEnumerable<string> LabelsOf(params string[] baseLabels) =>
        Assertions.Keys.Where(l => baseLabels.Any(b => l == b || l.StartsWith(b + "__", StringComparison.Ordinal))).Order(StringComparer.Ordinal);

    /// <summary>The hashed URIs the claim lists (v1 "assertions"; v2 "created_assertions" and "gathered_assertions").</summary>
    public IEnumerable<IReadOnlyDictionary<string, object?>> AssertionReferences =>
        Claim.List("assertions").Concat(Claim.List("created_assertions")).Concat(Claim.List("gathered_assertions"))
            .OfType<IReadOnlyDictionary<string, object?>>();
}
