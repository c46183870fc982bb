using System.Text.Json;
using SparseViT.Forensics.Evidence;
using SparseViT.Forensics.Metadata;
using SparseViT.Forensics.Provenance;
using SparseViT.Forensics.Tests.Support;

namespace SparseViT.Forensics.Tests.Provenance;

/// <summary>
/// ../shared/fixtures/c2pa against its oracle (expected.json: c2pa-rs and c2pa-ts facts): presence, location, active
/// manifest, signer, claim generator, signing time, actions, ingredients, AI declaration and validation status codes.
/// CAWG identity codes are left out (CAWG identity assertions are reported as not checked).
/// </summary>
public class C2paFixtureTests
{
    private static readonly string Dir = RepoPaths.Shared("fixtures", "c2pa");
    private static readonly Lazy<Dictionary<string, JsonElement>> Expected = new(() =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(Dir, "expected.json"))).RootElement.GetProperty("files").EnumerateArray()
            .ToDictionary(f => f.GetProperty("file").GetString()!, f => f.GetProperty("expected").Clone()));

    /// <summary>Codes this reader decides (the time-stamp trust of a TSA depends on the host's CA store, so it is left out).</summary>
    private static readonly HashSet<string> CoreSuccess =
    [
        C2paStatus.ClaimSignatureValidated, C2paStatus.ClaimSignatureInsideValidity, C2paStatus.HashedUriMatch,
        C2paStatus.DataHashMatch, C2paStatus.BmffHashMatch, C2paStatus.TimeStampValidated,
    ];

    public static TheoryData<string> Files() => [.. Expected.Value.Keys.Order(StringComparer.Ordinal)];

    private static string? Str(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static List<string> Strings(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Array ? v.EnumerateArray().Select(x => x.GetString()!).ToList() : [];

    [Theory]
    [MemberData(nameof(Files))]
    public void Each_fixture_reads_as_the_independent_validators_report(string file)
    {
        var e = Expected.Value[file];
        var report = ProvenanceReader.Read(File.ReadAllBytes(Path.Combine(Dir, file)),
            MetadataReader.Read(Path.Combine(Dir, file)).Provenance?.XmpProvenance);

        Assert.Equal(e.GetProperty("manifest_present").GetBoolean(), report.Present);
        if (!report.Present)
        {
            Assert.Equal(Str(e, "xmp_dcterms_provenance"), report.XmpProvenance);
            return;
        }
        Assert.Equal(Str(e, "manifest_store_location"), report.Location);
        if (e.TryGetProperty("status_code_per_c2pa_rs_tests", out var prerelease))
        {
            Assert.Equal("prerelease", report.ValidationState);
            Assert.Equal([prerelease.GetString()!], report.Status.Failure);
            return;
        }
        Assert.Equal(Str(e, "active_manifest"), report.ActiveManifest);
        Assert.Equal(e.GetProperty("manifest_count").GetInt32(), report.ManifestCount);
        Assert.Equal(e.GetProperty("claim_version").GetInt32(), report.ClaimVersion);
        string expectedGenerator = Str(e, "claim_generator") ?? string.Join(" ",
            e.GetProperty("claim_generator_info").EnumerateArray().Select(i => $"{Str(i, "name")} {Str(i, "version")}".Trim()));
        Assert.Equal(expectedGenerator, report.ClaimGenerator);

        var signature = e.GetProperty("signature");
        var info = signature.GetProperty("c2pa_rs_signature_info");
        Assert.Equal(Str(info, "common_name"), report.Signer!.CommonName);
        Assert.Equal(Str(info, "issuer"), report.Signer.Organization); // c2pa-rs's "issuer" is the signer's O
        Assert.Equal(Str(signature, "alg"), report.Signer.Algorithm);
        string issuerCn = Str(signature, "signer_issuer")!.Split(", ").Single(p => p.StartsWith("CN="));
        Assert.Contains(issuerCn, report.Signer.Issuer);
        Assert.Equal(Str(signature, "signer_serial_hex"), report.Signer.SerialNumber);
        if (Str(e, "signing_time") is { } time) Assert.Equal(DateTimeOffset.Parse(time), report.SigningTime);
        else Assert.Null(report.SigningTime);

        var actions = e.GetProperty("actions").EnumerateArray()
            .Select(a => (Str(a, "action"), Str(a, "digitalSourceType")?.Trim())).ToList();
        Assert.Equal(actions, report.Actions.Select(a => ((string?)a.Action, a.DigitalSourceType)).ToList());
        Assert.Equal(e.GetProperty("ingredients_count").GetInt32(), report.IngredientCount);
        Assert.Equal(e.GetProperty("ingredients").EnumerateArray().Select(i => Str(i, "title")), report.Ingredients.Select(i => i.Title));
        Assert.Equal(e.GetProperty("ai_generated_or_assisted").GetBoolean(), report.AiGenerated);
        Assert.Equal(Strings(e, "hard_binding").Single(), report.HardBinding);

        var failures = Strings(e, "active_manifest_failure_codes").Where(c => !c.StartsWith("cawg.")).Order();
        Assert.Equal(failures, report.Status.Failure.Order());
        var success = Strings(e, "active_manifest_success_codes").Where(CoreSuccess.Contains).Order();
        Assert.Equal(success, report.Status.Success.Where(CoreSuccess.Contains).Order());
        Assert.Contains(C2paStatus.SigningCredentialOcspSkipped, report.Status.Informational);
        Assert.Equal(Str(e, "validation_state_no_trust_anchors")!.ToLowerInvariant(), report.ValidationState);
    }

    [Fact]
    public void The_bad_signature_in_an_ingredient_manifest_does_not_verify_while_the_active_one_does()
    {
        // CIE-sig-CA.jpg: its componentOf ingredient E-sig-CA.jpg carries a manifest whose claim signature is invalid.
        var report = ProvenanceReader.Read(File.ReadAllBytes(Path.Combine(Dir, "CIE-sig-CA.jpg")));
        Assert.Equal(2, report.Manifests.Count);
        Assert.Contains(C2paStatus.ClaimSignatureMismatch, report.Manifests[0].Status.Failure);
        Assert.Contains(C2paStatus.ClaimSignatureValidated, report.Manifests[1].Status.Success);
        Assert.Equal(["claimSignature.mismatch"], report.Ingredients.Single().ValidationStatus.Where(c => c.StartsWith("claimSignature")));
    }

    [Theory]
    [InlineData("C.jpg", "trusted")]
    [InlineData("gen-signed.png", "trusted")]
    [InlineData("gen-signed.heif", "trusted")]
    [InlineData("ocsp.jpg", "valid")] // Adobe's production chain is not under the c2pa-rs test anchors
    [InlineData("XCA.jpg", "invalid")]
    public void With_the_reference_test_anchors_test_signed_files_are_trusted(string file, string state)
    {
        var anchors = C2paTrustList.Load(Path.Combine(RepoPaths.Root, "tests", "SparseViT.Forensics.Tests", "Provenance", "c2pa-rs-test-trust-anchors.pem"));
        Assert.Equal(8, anchors.Count);
        var report = ProvenanceReader.Read(File.ReadAllBytes(Path.Combine(Dir, file)), trustAnchors: anchors);
        Assert.Equal(state, report.ValidationState);
        Assert.Equal(state != "valid", !report.Status.Failure.Contains(C2paStatus.SigningCredentialUntrusted));
    }

    [Fact]
    public void One_changed_pixel_byte_of_a_signed_jpeg_is_a_data_hash_mismatch_and_raises_the_indicator()
    {
        var bytes = File.ReadAllBytes(Path.Combine(Dir, "C.jpg"));
        Assert.Equal("valid", ProvenanceReader.Read(bytes).ValidationState);
        int scan = C2paTestFiles.StartOfScan(bytes);
        bytes[scan + (bytes.Length - scan) / 2] ^= 0x01;

        var metadata = MetadataReader.Read(bytes, "C.jpg");
        Assert.Equal("invalid", metadata.Provenance!.ValidationState);
        Assert.Contains(C2paStatus.DataHashMismatch, metadata.Provenance.Status.Failure);
        Assert.Contains(C2paStatus.ClaimSignatureValidated, metadata.Provenance.Status.Success);
        var indicators = new EvidenceAnalyzer().Analyze(new EvidenceContext("C.jpg", metadata, 100, 100));
        var modified = Assert.Single(indicators, i => i.Id == IndicatorIds.C2paContentModifiedAfterSigning);
        Assert.Equal(Severity.High, modified.Severity);
        Assert.DoesNotContain(indicators, i => i.Id == IndicatorIds.C2paSignatureInvalid);
    }

    [Fact]
    public void One_changed_byte_of_the_claim_signature_fails_the_signature_and_raises_the_indicator()
    {
        var bytes = File.ReadAllBytes(Path.Combine(Dir, "gen-signed.png"));
        int at = C2paTestFiles.IndexOfSignatureValue(bytes);
        bytes[at] ^= 0x01;

        var metadata = MetadataReader.Read(bytes, "gen-signed.png");
        Assert.Contains(C2paStatus.ClaimSignatureMismatch, metadata.Provenance!.Status.Failure);
        Assert.Equal("invalid", metadata.Provenance.ValidationState);
        var indicators = new EvidenceAnalyzer().Analyze(new EvidenceContext("gen-signed.png", metadata, 100, 100));
        Assert.Equal(Severity.High, Assert.Single(indicators, i => i.Id == IndicatorIds.C2paSignatureInvalid).Severity);
    }

    [Theory]
    [InlineData("ocsp.jpg", IndicatorIds.C2paAiGenerated, IndicatorIds.C2paEdited)]
    [InlineData("gen-signed.webp", IndicatorIds.C2paValidCameraCapture, IndicatorIds.C2paUntrustedSigner)]
    [InlineData("gen-tampered-pixels.png", IndicatorIds.C2paContentModifiedAfterSigning, IndicatorIds.C2paUntrustedSigner)]
    [InlineData("no_manifest.jpg", IndicatorIds.C2paManifestStripped, null)]
    [InlineData("CA.jpg", IndicatorIds.C2paEdited, IndicatorIds.C2paUntrustedSigner)]
    public void Provenance_raises_its_indicators(string file, string expected, string? alsoExpected)
    {
        var metadata = MetadataReader.Read(Path.Combine(Dir, file));
        var ids = new EvidenceAnalyzer().Analyze(new EvidenceContext(file, metadata, 100, 100)).Select(i => i.Id).ToList();
        Assert.Contains(expected, ids);
        if (alsoExpected is not null) Assert.Contains(alsoExpected, ids);
        if (expected != IndicatorIds.C2paValidCameraCapture) Assert.DoesNotContain(IndicatorIds.C2paValidCameraCapture, ids);
    }

    [Fact]
    public void The_ai_indicator_names_the_assertion()
    {
        var metadata = MetadataReader.Read(Path.Combine(Dir, "ocsp.jpg"));
        var ai = new C2paAiGeneratedRule().Evaluate(new EvidenceContext("ocsp.jpg", metadata, 100, 100))!;
        Assert.Equal(Severity.Medium, ai.Severity);
        Assert.Contains("c2pa.actions", ai.Message);
        Assert.Contains("compositeWithTrainedAlgorithmicMedia", ai.Message);
    }
}
