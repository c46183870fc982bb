using System.Buffers.Binary;
using System.Formats.Cbor;
using System.Security.Cryptography.Cose;
using System.Text;
using SparseViT.Forensics.Provenance;

namespace SparseViT.Forensics.Tests.Support;

/// <summary>
/// Builds C2PA test files: JUMBF superboxes, manifest stores spread over JPEG APP11 segments, and hostile variants
/// (oversized stores, CBOR bombs, absurd certificate chains, truncated segments) around real fixture images.
/// </summary>
internal static class C2paTestFiles
{
    public static readonly Guid StoreType = Guid.Parse("63327061-0011-0010-8000-00aa00389b71");    // c2pa
    public static readonly Guid ManifestType = Guid.Parse("63326d61-0011-0010-8000-00aa00389b71"); // c2ma
    public static readonly Guid ClaimType = Guid.Parse("6332636c-0011-0010-8000-00aa00389b71");    // c2cl
    public static readonly Guid SignatureType = Guid.Parse("63326373-0011-0010-8000-00aa00389b71"); // c2cs

    public static byte[] Box(string type, params byte[][] payload)
    {
        long length = 8 + payload.Sum(p => (long)p.Length);
        var box = new byte[length];
        BinaryPrimitives.WriteUInt32BigEndian(box, (uint)length);
        Encoding.ASCII.GetBytes(type).CopyTo(box, 4);
        int at = 8;
        foreach (var p in payload) { p.CopyTo(box, at); at += p.Length; }
        return box;
    }

    public static byte[] Superbox(string label, Guid type, params byte[][] children)
    {
        var description = new byte[16 + 1 + Encoding.UTF8.GetByteCount(label) + 1];
        type.TryWriteBytes(description, bigEndian: true, out _);
        description[16] = 0x03; // requestable, labelled
        Encoding.UTF8.GetBytes(label).CopyTo(description, 17);
        return Box("jumb", [Box("jumd", description), .. children]);
    }

    /// <summary>A store with one manifest holding the given claim CBOR and signature COSE.</summary>
    public static byte[] Store(byte[] claimCbor, byte[] signatureCose) =>
        Superbox("c2pa", StoreType,
            Superbox("urn:c2pa:test", ManifestType,
                Superbox("c2pa.claim.v2", ClaimType, Box("cbor", claimCbor)),
                Superbox("c2pa.signature", SignatureType, Box("cbor", signatureCose))));

    /// <summary><paramref name="jpeg"/> with <paramref name="store"/> in APP11 segments right after SOI, as JUMBF box <paramref name="instance"/>.</summary>
    public static byte[] JpegWithStore(byte[] jpeg, byte[] store, ushort instance = 1)
    {
        const int chunk = 65_000;
        using var output = new MemoryStream();
        output.Write(jpeg, 0, 2);
        uint sequence = 1;
        for (int at = 0; at < store.Length; at += at == 0 ? chunk : chunk - 8, sequence++)
        {
            // Later packets repeat the box header (LBox, TBox) before continuing the data.
            byte[] body = at == 0 ? store[..Math.Min(chunk, store.Length)] : [.. store[..8], .. store[at..Math.Min(at + chunk - 8, store.Length)]];
            var header = new byte[12];
            header[0] = 0xFF; header[1] = 0xEB;
            BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(2), (ushort)(2 + 8 + body.Length));
            header[4] = (byte)'J'; header[5] = (byte)'P';
            BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(6), instance);
            BinaryPrimitives.WriteUInt32BigEndian(header.AsSpan(8), sequence);
            output.Write(header);
            output.Write(body);
            if (at + (at == 0 ? chunk : chunk - 8) >= store.Length) break;
        }
        output.Write(jpeg, 2, jpeg.Length - 2);
        return output.ToArray();
    }

    /// <summary>A COSE_Sign1 (tag 18) with ES256 and an x5chain of <paramref name="certificates"/> copies of one certificate.</summary>
    public static byte[] CoseWithChain(byte[] certificate, int certificates)
    {
        var header = new CborWriter();
        header.WriteStartMap(2);
        header.WriteInt32(1); header.WriteInt32(-7);
        header.WriteInt32(33);
        header.WriteStartArray(certificates);
        for (int i = 0; i < certificates; i++) header.WriteByteString(certificate);
        header.WriteEndArray();
        header.WriteEndMap();
        var cose = new CborWriter();
        cose.WriteTag((CborTag)18);
        cose.WriteStartArray(4);
        cose.WriteByteString(header.Encode());
        cose.WriteStartMap(0); cose.WriteEndMap();
        cose.WriteNull();
        cose.WriteByteString(new byte[64]);
        cose.WriteEndArray();
        return cose.Encode();
    }

    public static byte[] MinimalClaim()
    {
        var claim = new CborWriter();
        claim.WriteStartMap(1);
        claim.WriteTextString("instanceID"); claim.WriteTextString("xmp:iid:test");
        claim.WriteEndMap();
        return claim.Encode();
    }

    /// <summary>The signer certificate of a real signed fixture.</summary>
    public static byte[] SignerCertificate(byte[] signedFile)
    {
        var message = CoseMessage.DecodeSign1(ActiveManifest(signedFile).SignatureBytes!.Value.Span);
        var label = new CoseHeaderLabel(33);
        var value = message.ProtectedHeaders.TryGetValue(label, out var v) ? v : message.UnprotectedHeaders[label];
        var reader = new CborReader(value.EncodedValue);
        if (reader.PeekState() == CborReaderState.StartArray) reader.ReadStartArray();
        return reader.ReadByteString();
    }

    public static C2paManifest ActiveManifest(byte[] signedFile) =>
        C2paManifest.ReadStore(JumbfBox.Parse(ManifestStoreLocator.Find(signedFile)!.Value.Store))[^1];

    /// <summary>Where the active manifest's COSE signature value lies in the file (a store kept contiguous, as PNG's caBX).</summary>
    public static int IndexOfSignatureValue(byte[] file)
    {
        var message = CoseMessage.DecodeSign1(ActiveManifest(file).SignatureBytes!.Value.Span);
        int at = file.AsSpan().IndexOf(message.Signature.Span);
        if (at < 0) throw new InvalidOperationException("the signature value is not stored contiguously");
        return at + message.Signature.Length / 2;
    }

    /// <summary>The first byte of entropy-coded data (after the SOS segment).</summary>
    public static int StartOfScan(byte[] jpeg)
    {
        int pos = 2;
        while (pos + 4 <= jpeg.Length)
        {
            int length = BinaryPrimitives.ReadUInt16BigEndian(jpeg.AsSpan(pos + 2));
            if (jpeg[pos + 1] == 0xDA) return pos + 2 + length;
            pos += 2 + length;
        }
        throw new InvalidOperationException("no SOS marker");
    }

    /// <summary><paramref name="jpeg"/> with its first APP11 segment cut to half its payload (the segment length rewritten to match).</summary>
    public static byte[] WithTruncatedApp11(byte[] jpeg)
    {
        int pos = 2;
        while (pos + 4 <= jpeg.Length)
        {
            int length = BinaryPrimitives.ReadUInt16BigEndian(jpeg.AsSpan(pos + 2));
            if (jpeg[pos + 1] == 0xEB)
            {
                int keep = 2 + 8 + (length - 10) / 2;
                var result = new List<byte>(jpeg.Length);
                result.AddRange(jpeg[..(pos + 2)]);
                result.Add((byte)(keep >> 8)); result.Add((byte)keep);
                result.AddRange(jpeg[(pos + 4)..(pos + 2 + keep)]);
                result.AddRange(jpeg[(pos + 2 + length)..]);
                return [.. result];
            }
            pos += 2 + length;
        }
        throw new InvalidOperationException("no APP11 segment");
    }
}
