using System.Security.Cryptography.X509Certificates;

namespace SparseViT.Forensics.Provenance;

/// <summary>
/// Reads and verifies a file's embedded C2PA manifest store into a <see cref="ProvenanceReport"/>: every manifest's claim
/// signature and assertion hashes, the active manifest's hard binding over the file's bytes, its actions, ingredients
/// and AI declarations. Never throws for what a file contains: a hostile or damaged store becomes an unreadable report.
/// Nothing is fetched from the network; what that leaves unchecked is listed in <see cref="ProvenanceReport.NotChecked"/>.
/// </summary>
public static class ProvenanceReader
{
    private const string RevocationNotChecked = "certificate revocation (OCSP/CRL): not fetched";

    /// <summary>IPTC digital source types that declare generative or algorithmic content.</summary>
    private static readonly HashSet<string> AiSourceTypes = new(StringComparer.Ordinal)
    {
        "trainedAlgorithmicMedia", "compositeWithTrainedAlgorithmicMedia", "algorithmicMedia", "compositeSynthetic",
    };

    public static ProvenanceReport Read(byte[] file, string? xmpProvenance = null, X509Certificate2Collection? trustAnchors = null)
    {
        (byte[] Store, string Location)? found;
        try { found = ManifestStoreLocator.Find(file); }
        catch (ProvenanceFormatException e) { return Unreadable(null, e.Message, xmpProvenance); }
        if (found is null)
            return ProvenanceReport.Absent(xmpProvenance) with
            {
                NotChecked = xmpProvenance is not null && xmpProvenance.StartsWith("http", StringComparison.OrdinalIgnoreCase)
                    ? [$"remote manifest {xmpProvenance}: not fetched"] : [],
            };
        var (store, location) = found.Value;
        try
        {
            var manifests = C2paManifest.ReadStore(JumbfBox.Parse(store));
            if (manifests.Count == 0) return Unreadable(location, "the manifest store holds no manifest", xmpProvenance);
            return Validate(manifests, location, file, xmpProvenance, trustAnchors);
        }
        catch (ProvenanceFormatException e)
        {
            return Unreadable(location, e.Message, xmpProvenance);
        }
        catch (Exception e) when (e is ArgumentException or IndexOutOfRangeException or InvalidOperationException or OverflowException
                                      or FormatException or System.Security.Cryptography.CryptographicException)
        {
            // The store is attacker-controlled: whatever slips past the explicit checks still only makes it unreadable.
            return Unreadable(location, $"the manifest store is malformed ({e.Message})", xmpProvenance);
        }
    }

    private static ProvenanceReport Validate(IReadOnlyList<C2paManifest> manifests, string location, byte[] file, string? xmp, X509Certificate2Collection? anchors)
    {
        var active = manifests[^1];
        if (IsPrerelease(active))
            return new ProvenanceReport
            {
                Present = true, Location = location, ValidationState = "prerelease", ActiveManifest = active.Label, ManifestCount = manifests.Count,
                Status = new ProvenanceStatus { Failure = [C2paStatus.Prerelease] }, XmpProvenance = xmp,
                Error = "a pre-1.0 (prerelease) manifest store: reported, not validated",
            };

        var summaries = new List<ManifestSummary>();
        ProvenanceStatusBuilder? activeStatus = null;
        ClaimSignatureValidator.Result? activeSignature = null;
        string? hardBinding = null;
        foreach (var manifest in manifests)
        {
            var status = new ProvenanceStatusBuilder();
            if (manifest.Claim is null) status.Fail(C2paStatus.ClaimMissing);
            var signature = ClaimSignatureValidator.Validate(manifest.SignatureBytes, manifest.ClaimBytes, anchors);
            status.Include(signature.Status);
            if (manifest.Claim is not null) CheckAssertionHashes(manifest, manifests, status);
            if (manifest == active)
            {
                hardBinding = HardBindingValidator.Check(manifest, file, status);
                activeStatus = status;
                activeSignature = signature;
            }
            summaries.Add(new ManifestSummary(manifest.Label, manifest.ClaimGenerator, signature.Signer?.CommonName, status.Build()));
        }

        var (aiGenerated, aiAssertion) = FindAiDeclaration(manifests);
        var ingredients = Ingredients(active);
        bool cawg = active.Assertions.Keys.Any(l => l.StartsWith("cawg.identity", StringComparison.Ordinal));
        return new ProvenanceReport
        {
            Present = true,
            Location = location,
            ValidationState = activeStatus!.IsInvalid ? "invalid" : activeStatus.IsTrusted ? "trusted" : "valid",
            ActiveManifest = active.Label,
            ManifestCount = manifests.Count,
            ClaimVersion = active.ClaimVersion,
            ClaimGenerator = active.ClaimGenerator,
            Title = active.Claim.Text("dc:title"),
            Signer = activeSignature!.Signer,
            SigningTime = activeSignature.SigningTime,
            TimeStampAuthority = activeSignature.TimeStampAuthority,
            HardBinding = hardBinding,
            Status = activeStatus.Build(),
            Actions = Actions(active),
            IngredientCount = ingredients.Count,
            Ingredients = ingredients,
            AiGenerated = aiGenerated,
            AiAssertion = aiAssertion,
            Manifests = summaries,
            XmpProvenance = xmp,
            NotChecked = cawg ? [RevocationNotChecked, "CAWG identity assertion: not checked"] : [RevocationNotChecked],
            Error = activeStatus.IsInvalid ? activeStatus.Detail : null,
        };
    }

    /// <summary>Each hashed URI of the claim against the assertion box it names (the superbox's payload, as C2PA hashes it).</summary>
    private static void CheckAssertionHashes(C2paManifest manifest, IReadOnlyList<C2paManifest> all, ProvenanceStatusBuilder status)
    {
        string claimAlg = manifest.Claim.Text("alg") ?? "sha256";
        bool any = false, allMatch = true;
        foreach (var reference in manifest.AssertionReferences)
        {
            var box = Resolve(reference.Text("url"), manifest, all);
            if (box is null) { status.Fail(C2paStatus.AssertionMissing, $"the claim names {reference.Text("url")}, which the store lacks"); allMatch = false; continue; }
            using var hash = HardBindingValidator.Hasher(reference.Text("alg") ?? claimAlg);
            if (hash is null) { status.Fail(C2paStatus.AlgorithmUnsupported); allMatch = false; continue; }
            hash.AppendData(box.Payload.Span);
            any = true;
            if (!hash.GetHashAndReset().AsSpan().SequenceEqual(reference.Bytes("hash") ?? []))
            {
                status.Fail(C2paStatus.HashedUriMismatch, $"assertion {box.Label} does not match the hash its claim signed");
                allMatch = false;
            }
        }
        if (any && allMatch) status.Succeed(C2paStatus.HashedUriMatch);
    }

    /// <summary>"self#jumbf=c2pa.assertions/x" (this manifest) or "self#jumbf=/c2pa/&lt;manifest&gt;/c2pa.assertions/x".</summary>
    internal static JumbfBox? Resolve(string? url, C2paManifest manifest, IReadOnlyList<C2paManifest> all)
    {
        if (url is null) return null;
        int at = url.IndexOf("jumbf=", StringComparison.Ordinal);
        var path = (at >= 0 ? url[(at + 6)..] : url).Split('/', StringSplitOptions.RemoveEmptyEntries);
        var owner = manifest;
        if (path.Length >= 2 && path[0] == "c2pa")
        {
            owner = all.FirstOrDefault(m => m.Label == path[1]);
            path = path[2..];
        }
        if (owner is null || path.Length != 2 || path[0] != "c2pa.assertions") return null;
        return owner.Assertions.GetValueOrDefault(path[1]);
    }

    /// <summary>Pre-1.0 stores hashed the assertion's data alone, not its box: c2pa-rs refuses them (PrereleaseError).</summary>
    private static bool IsPrerelease(C2paManifest manifest)
    {
        if (manifest.Claim is null) return false;
        foreach (var reference in manifest.AssertionReferences)
        {
            var box = Resolve(reference.Text("url"), manifest, [manifest]);
            var content = box?.Children.Skip(1).FirstOrDefault();
            if (content is null) continue;
            using var hash = HardBindingValidator.Hasher(reference.Text("alg") ?? manifest.Claim.Text("alg") ?? "sha256");
            if (hash is null) continue;
            hash.AppendData(content.Payload.Span);
            if (hash.GetHashAndReset().AsSpan().SequenceEqual(reference.Bytes("hash") ?? [])) return true;
        }
        return false;
    }

    private static IReadOnlyList<ProvenanceAction> Actions(C2paManifest manifest) =>
        manifest.LabelsOf("c2pa.actions.v2", "c2pa.actions")
            .SelectMany(label => manifest.AssertionData(label).List("actions").OfType<IReadOnlyDictionary<string, object?>>())
            .Select(a => new ProvenanceAction(a.Text("action") ?? "", a.Text("digitalSourceType")?.Trim(), SoftwareAgent(a), a.Text("when")))
            .ToList();

    private static string? SoftwareAgent(IReadOnlyDictionary<string, object?> action) =>
        action.Text("softwareAgent") ?? (action.Map("softwareAgent") is { } agent
            ? string.Join(" ", new[] { agent.Text("name"), agent.Text("version") }.Where(s => s is not null)) : null);

    private static IReadOnlyList<ProvenanceIngredient> Ingredients(C2paManifest manifest) =>
        manifest.LabelsOf("c2pa.ingredient.v3", "c2pa.ingredient.v2", "c2pa.ingredient")
            .Select(label => manifest.AssertionData(label))
            .Select(i => new ProvenanceIngredient(i.Text("dc:title") ?? i.Text("title"), i.Text("relationship"), IngredientCodes(i)))
            .ToList();

    private static IReadOnlyList<string> IngredientCodes(IReadOnlyDictionary<string, object?>? ingredient)
    {
        var legacy = ingredient.List("validationStatus").OfType<IReadOnlyDictionary<string, object?>>().Select(s => s.Text("code"));
        var results = ingredient.Map("validationResults").Map("activeManifest");
        var current = new[] { "success", "informational", "failure" }.SelectMany(k => results.List(k).OfType<IReadOnlyDictionary<string, object?>>()).Select(s => s.Text("code"));
        return legacy.Concat(current).OfType<string>().Distinct().ToList();
    }

    private static (bool, string?) FindAiDeclaration(IReadOnlyList<C2paManifest> manifests)
    {
        foreach (var manifest in manifests.Reverse())
            foreach (string label in manifest.LabelsOf("c2pa.actions.v2", "c2pa.actions"))
                foreach (var action in manifest.AssertionData(label).List("actions").OfType<IReadOnlyDictionary<string, object?>>())
                {
                    string? type = action.Text("digitalSourceType")?.Trim();
                    string? name = type?[(type.LastIndexOf('/') + 1)..];
                    if (name is not null && AiSourceTypes.Contains(name))
                        return (true, $"{label} of {manifest.Label}: {action.Text("action")}, digitalSourceType {name}");
                }
        return (false, null);
    }

    private static ProvenanceReport Unreadable(string? location, string message, string? xmp) => new()
    {
        Present = true, Location = location, ValidationState = "unreadable",
        Status = new ProvenanceStatus { Failure = [C2paStatus.GeneralError] }, XmpProvenance = xmp, Error = message,
    };
}
