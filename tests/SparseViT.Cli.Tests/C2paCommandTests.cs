using System.Buffers.Binary;
using System.Text.Json;

namespace SparseViT.Cli.Tests;

/// <summary>Content Credentials through the tool: `metadata` and `scan` records carry provenance, --c2pa-trust works.</summary>
public sealed class C2paCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("sparsevit-c2pa-").FullName;

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); } catch { }
    }

    private static string Fixtures => Path.Combine(CliRunner.Shared, "fixtures", "c2pa");
    private static string TestAnchors => Path.Combine(CliRunner.RepoRoot, "tests", "SparseViT.Forensics.Tests", "Provenance", "c2pa-rs-test-trust-anchors.pem");

    private static Dictionary<string, JsonElement> Records(string jsonl) =>
        jsonl.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement.Clone())
            .ToDictionary(r => r.GetProperty("fileName").GetString()!);

    private static string[] Indicators(JsonElement record) =>
        record.GetProperty("indicators").EnumerateArray().Select(i => i.GetProperty("id").GetString()!).ToArray();

    [Fact]
    public void Metadata_reports_provenance_for_every_fixture_and_trust_anchors_make_test_signers_trusted()
    {
        var plain = CliRunner.Run(["metadata", Fixtures, "--format", "jsonl"]);
        Assert.True(plain.ExitCode == 0, plain.ToString());
        var records = Records(plain.Stdout);
        Assert.Equal(15, records.Count);
        var c = records["C.jpg"].GetProperty("provenance");
        Assert.Equal("valid", c.GetProperty("validationState").GetString());
        Assert.Equal("C2PA Signer", c.GetProperty("signer").GetProperty("commonName").GetString());
        Assert.Equal("make_test_images/0.33.1 c2pa-rs/0.33.1", c.GetProperty("claimGenerator").GetString());
        Assert.Contains("c2pa-content-modified-after-signing", Indicators(records["gen-tampered-pixels.png"]));
        Assert.Contains("c2pa-ai-generated", Indicators(records["ocsp.jpg"]));
        Assert.False(records["mars.webp"].GetProperty("provenance").GetProperty("present").GetBoolean());

        var trusted = CliRunner.Run(["metadata", Path.Combine(Fixtures, "C.jpg"), Path.Combine(Fixtures, "ocsp.jpg"), "--format", "jsonl", "--c2pa-trust", TestAnchors]);
        Assert.True(trusted.ExitCode == 0, trusted.ToString());
        var withAnchors = Records(trusted.Stdout);
        Assert.Equal("trusted", withAnchors["C.jpg"].GetProperty("provenance").GetProperty("validationState").GetString());
        Assert.DoesNotContain("c2pa-untrusted-signer", Indicators(withAnchors["C.jpg"]));
        Assert.Equal("valid", withAnchors["ocsp.jpg"].GetProperty("provenance").GetProperty("validationState").GetString());
    }

    [Fact]
    public void A_missing_trust_list_is_a_parse_error_naming_the_file()
    {
        string missing = Path.Combine(_dir, "no-such-anchors.pem");
        var r = CliRunner.Run(["metadata", Fixtures, "--c2pa-trust", missing]);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("no-such-anchors.pem", r.Stderr);
        Assert.Contains("trust list not found", r.Stderr);
    }

    [Fact]
    public void A_scan_completes_on_an_image_whose_manifest_is_cut_and_records_the_unreadable_store()
    {
        var signed = File.ReadAllBytes(Path.Combine(Fixtures, "C.jpg"));
        File.WriteAllBytes(Path.Combine(_dir, "cut-app11.jpg"), WithFirstApp11Halved(signed));
        File.Copy(Path.Combine(Fixtures, "XCA.jpg"), Path.Combine(_dir, "XCA.jpg"));

        var r = CliRunner.RunProcess(["scan", _dir, "--checkpoint", CliRunner.FixtureCheckpoint, "--format", "jsonl", "--fail-on", "never"], TimeSpan.FromMinutes(2));

        Assert.True(r.ExitCode == 0, r.ToString());
        var records = Records(r.Stdout);
        var cut = records["cut-app11.jpg"];
        Assert.Equal("ok", cut.GetProperty("status").GetString());
        Assert.True(cut.GetProperty("scores").GetProperty("max").GetDouble() is >= 0 and <= 1);
        Assert.Equal("unreadable", cut.GetProperty("provenance").GetProperty("validationState").GetString());
        Assert.Contains("c2pa-manifest-unreadable", Indicators(cut));
        Assert.Contains("c2pa-content-modified-after-signing", Indicators(records["XCA.jpg"]));
        Assert.Contains(records["XCA.jpg"].GetProperty("reasons").EnumerateArray(), reason => reason.GetString()!.StartsWith("c2pa-content-modified-after-signing (high)"));
    }

    /// <summary>The first APP11 segment keeps half its payload (its length rewritten), so the JUMBF store is short but the JPEG is intact.</summary>
    private static byte[] WithFirstApp11Halved(byte[] jpeg)
    {
        for (int pos = 2; pos + 4 <= jpeg.Length;)
        {
            int length = BinaryPrimitives.ReadUInt16BigEndian(jpeg.AsSpan(pos + 2));
            if (jpeg[pos + 1] == 0xEB)
            {
                int keep = 10 + (length - 10) / 2;
                var head = jpeg[..(pos + 2)];
                byte[] size = [(byte)(keep >> 8), (byte)keep];
                return [.. head, .. size, .. jpeg[(pos + 4)..(pos + 2 + keep)], .. jpeg[(pos + 2 + length)..]];
            }
            pos += 2 + length;
        }
        throw new InvalidOperationException("no APP11 segment");
    }
}
