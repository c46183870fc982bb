using System.Diagnostics;
using SparseViT.Forensics.Evidence;
using SparseViT.Forensics.Metadata;
using SparseViT.Forensics.Provenance;
using SparseViT.Forensics.Tests.Support;

namespace SparseViT.Forensics.Tests.Provenance;

/// <summary>
/// Hostile C2PA data: each becomes an unreadable or invalid provenance report with an indicator, quickly and with bounded
/// memory; the metadata and the image itself are still read.
/// </summary>
public class C2paHostileTests
{
    private static byte[] Sample => File.ReadAllBytes(RepoPaths.Sample("sample_1.jpg"));

    private static (ImageMetadata Metadata, IReadOnlyList<EvidenceIndicator> Indicators) Read(byte[] file, string name)
    {
        var watch = Stopwatch.StartNew();
        var metadata = MetadataReader.Read(file, name);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"{name}: reading took {watch.Elapsed}");
        Assert.Equal("Adobe Photoshop CS2 Windows", metadata.Software); // the rest of the metadata survives
        Assert.Equal(384, TestImages.Decode(file).Width);                 // and so does the image
        return (metadata, new EvidenceAnalyzer().Analyze(new EvidenceContext(name, metadata, 384, 256)));
    }

    [Fact]
    public void A_100_MB_manifest_store_is_refused_as_unreadable()
    {
        var store = C2paTestFiles.Superbox("c2pa", C2paTestFiles.StoreType, C2paTestFiles.Box("cbor", new byte[100 << 20]));
        var (metadata, indicators) = Read(C2paTestFiles.JpegWithStore(Sample, store), "huge-manifest.jpg");
        Assert.Equal("unreadable", metadata.Provenance!.ValidationState);
        Assert.Contains("more than the 64 MB read", metadata.Provenance.Error);
        Assert.Contains(indicators, i => i.Id == IndicatorIds.C2paManifestUnreadable);
    }

    [Theory]
    [InlineData("depth")]
    [InlineData("length")]
    public void A_cbor_bomb_in_the_claim_is_refused_as_unreadable(string kind)
    {
        byte[] bomb = kind == "depth"
            ? [.. Enumerable.Repeat((byte)0x81, 100_000), 0x00]                         // [[[[…]]]] 100,000 deep
            : [0x9B, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x00, 0x00, 0x00];  // an array of 2^64-1 items
        var store = C2paTestFiles.Store(bomb, C2paTestFiles.CoseWithChain([0x30], 1));
        var (metadata, indicators) = Read(C2paTestFiles.JpegWithStore(Sample, store), "cbor-bomb.jpg");
        Assert.Equal("unreadable", metadata.Provenance!.ValidationState);
        Assert.Contains("CBOR", metadata.Provenance.Error);
        Assert.Contains(indicators, i => i.Id == IndicatorIds.C2paManifestUnreadable);
    }

    [Fact]
    public void A_chain_of_1000_certificates_is_an_invalid_signing_credential()
    {
        var certificate = C2paTestFiles.SignerCertificate(File.ReadAllBytes(RepoPaths.Shared("fixtures", "c2pa", "gen-signed.png")));
        var store = C2paTestFiles.Store(C2paTestFiles.MinimalClaim(), C2paTestFiles.CoseWithChain(certificate, 1000));
        long before = GC.GetTotalAllocatedBytes(precise: true);
        var (metadata, indicators) = Read(C2paTestFiles.JpegWithStore(Sample, store), "long-chain.jpg");
        Assert.True(GC.GetTotalAllocatedBytes(precise: true) - before < 256L << 20, "reading allocated more than 256 MB");
        Assert.Equal("invalid", metadata.Provenance!.ValidationState);
        Assert.Contains(C2paStatus.SigningCredentialInvalid, metadata.Provenance.Status.Failure);
        var invalid = Assert.Single(indicators, i => i.Id == IndicatorIds.C2paSignatureInvalid);
        Assert.Contains("1000 certificates", invalid.Message);
    }

    [Fact]
    public void A_truncated_app11_segment_makes_the_store_unreadable_and_the_image_still_decodes()
    {
        var signed = File.ReadAllBytes(RepoPaths.Shared("fixtures", "c2pa", "C.jpg"));
        var cut = C2paTestFiles.WithTruncatedApp11(signed);
        var metadata = MetadataReader.Read(cut, "cut-app11.jpg");
        Assert.Equal("unreadable", metadata.Provenance!.ValidationState);
        Assert.Contains("segments hold", metadata.Provenance.Error);
        Assert.Equal(SparseViT.Engine.Imaging.ImageDecoder.Decode(signed).Image.Pixels, SparseViT.Engine.Imaging.ImageDecoder.Decode(cut).Image.Pixels);
    }

    [Fact]
    public void An_app11_segment_running_past_the_end_of_the_file_is_unreadable_not_a_crash()
    {
        var signed = File.ReadAllBytes(RepoPaths.Shared("fixtures", "c2pa", "C.jpg"));
        int app11 = signed.AsSpan().IndexOf([(byte)0xFF, (byte)0xEB]);
        var report = ProvenanceReader.Read(signed[..(app11 + 200)]);
        Assert.Equal("unreadable", report.ValidationState);
        Assert.Contains("runs past the end of the file", report.Error);
    }

    /// <summary>A JUMBF box of another standard (JPEG 360 here) in APP11; box instance 1 comes before C.jpg's 529.</summary>
    private static byte[] ForeignJumbf => C2paTestFiles.Superbox("jpeg360", Guid.Parse("785f34b7-5d2b-4d6b-9b5a-0b3f6c2e1a44"), C2paTestFiles.Box("json", "{}"u8.ToArray()));

    [Fact]
    public void Another_jumbf_box_ahead_of_the_manifest_store_is_passed_over()
    {
        var signed = File.ReadAllBytes(RepoPaths.Shared("fixtures", "c2pa", "C.jpg"));
        var original = ProvenanceReader.Read(signed);
        var report = ProvenanceReader.Read(C2paTestFiles.JpegWithStore(signed, ForeignJumbf, instance: 1));
        Assert.True(report.Present);
        Assert.Equal("invalid", report.ValidationState); // read and verified, not "unreadable"
        Assert.Equal(original.ActiveManifest, report.ActiveManifest);
        Assert.Equal(original.Signer!.CommonName, report.Signer!.CommonName);
        Assert.Contains(C2paStatus.ClaimSignatureValidated, report.Status.Success);
        // The inserted segment shifts the bytes the data hash covers, which validation rightly reports.
        Assert.Contains(C2paStatus.DataHashMismatch, report.Status.Failure);
    }

    [Fact]
    public void A_jpeg_whose_only_jumbf_box_is_not_c2pa_has_no_manifest()
    {
        var report = ProvenanceReader.Read(C2paTestFiles.JpegWithStore(Sample, ForeignJumbf));
        Assert.False(report.Present);
        Assert.Null(report.ValidationState);
    }

    [Fact]
    public void Random_damage_anywhere_in_a_store_never_throws()
    {
        var signed = File.ReadAllBytes(RepoPaths.Shared("fixtures", "c2pa", "gen-signed.png"));
        var random = new Random(5);
        for (int i = 0; i < 300; i++)
        {
            var damaged = (byte[])signed.Clone();
            int at = random.Next(0, 40_000), count = random.Next(1, 16);
            for (int k = 0; k < count && at + k < damaged.Length; k++) damaged[at + k] = (byte)random.Next(256);
            var report = ProvenanceReader.Read(damaged);
            Assert.NotNull(report.ValidationState);
        }
    }
}
