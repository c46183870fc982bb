using System.Buffers.Binary;
using System.Text;

namespace SparseViT.Forensics.Provenance;

/// <summary>
/// A box of a JUMBF tree (ISO/IEC 19566-5), as C2PA stores manifests: superboxes ('jumb') begin with a description box
/// ('jumd': a type UUID, toggles, an optional label) followed by content boxes ('cbor', 'json', 'bfdb', 'bidb', 'uuid', …)
/// or further superboxes. Offsets point into the store's bytes, so hashes can be taken over exactly what was stored.
/// </summary>
public sealed class JumbfBox
{
    public const int MaxDepth = 16;
    public const int MaxBoxes = 20_000;

    public required string Type { get; init; }
    /// <summary>The bytes of the whole store the offsets refer to.</summary>
    public required ReadOnlyMemory<byte> Source { get; init; }
    /// <summary>Where the box header starts in <see cref="Source"/>.</summary>
    public required int Offset { get; init; }
    public required int HeaderLength { get; init; }
    public required int Length { get; init; }
    /// <summary>The description box's type UUID (superboxes only).</summary>
    public Guid? ContentType { get; init; }
    public string? Label { get; init; }
    public IReadOnlyList<JumbfBox> Children { get; init; } = [];

    public ReadOnlyMemory<byte> Payload => Source.Slice(Offset + HeaderLength, Length - HeaderLength);

    public bool IsSuperbox => Type == "jumb";

    /// <summary>The first child superbox with this label.</summary>
    public JumbfBox? Child(string label) => Children.FirstOrDefault(c => c.IsSuperbox && c.Label == label);

    /// <summary>The first content box (not the description box) of this type.</summary>
    public JumbfBox? Content(string type) => Children.FirstOrDefault(c => c.Type == type);

    /// <summary>Parses the superbox at the start of <paramref name="store"/>; throws <see cref="ProvenanceFormatException"/> for anything malformed.</summary>
    public static JumbfBox Parse(ReadOnlyMemory<byte> store)
    {
        int boxes = 0;
        var root = ReadBox(store, 0, store.Length, depth: 0, ref boxes);
        if (!root.IsSuperbox) throw new ProvenanceFormatException($"the manifest store starts with a '{root.Type}' box, not a JUMBF superbox");
        return root;
    }

    private static JumbfBox ReadBox(ReadOnlyMemory<byte> source, int offset, int end, int depth, ref int boxes)
    {
        if (++boxes > MaxBoxes) throw new ProvenanceFormatException($"the manifest store has more than {MaxBoxes} boxes");
        var span = source.Span;
        if (end - offset < 8) throw new ProvenanceFormatException($"a JUMBF box header at byte {offset} is cut off");
        long length = BinaryPrimitives.ReadUInt32BigEndian(span[offset..]);
        string type = Encoding.ASCII.GetString(span.Slice(offset + 4, 4));
        int header = 8;
        if (length == 1)
        {
            if (end - offset < 16) throw new ProvenanceFormatException($"the '{type}' box at byte {offset} is cut off");
            length = (long)Math.Min(BinaryPrimitives.ReadUInt64BigEndian(span[(offset + 8)..]), long.MaxValue);
            header = 16;
        }
        else if (length == 0) length = end - offset;
        if (length < header || length > end - offset)
            throw new ProvenanceFormatException($"the '{type}' box at byte {offset} claims {length} bytes, but only {end - offset} remain");
        if (type != "jumb")
            return new JumbfBox { Type = type, Source = source, Offset = offset, HeaderLength = header, Length = (int)length };
        if (depth >= MaxDepth) throw new ProvenanceFormatException($"JUMBF superboxes are nested deeper than {MaxDepth}");

        var children = new List<JumbfBox>();
        int position = offset + header, boxEnd = offset + (int)length;
        while (position < boxEnd)
        {
            var child = ReadBox(source, position, boxEnd, depth + 1, ref boxes);
            children.Add(child);
            position += child.Length;
        }
        if (children.Count == 0 || children[0].Type != "jumd")
            throw new ProvenanceFormatException($"the superbox at byte {offset} has no description box");
        var (contentType, label) = ReadDescription(children[0].Payload.Span, offset);
        return new JumbfBox
        {
            Type = type, Source = source, Offset = offset, HeaderLength = header, Length = (int)length,
            ContentType = contentType, Label = label, Children = children,
        };
    }

    private static (Guid Type, string? Label) ReadDescription(ReadOnlySpan<byte> d, int offset)
    {
        if (d.Length < 17) throw new ProvenanceFormatException($"the description box of the superbox at byte {offset} is cut off");
        var type = new Guid(d[..16], bigEndian: true);
        byte toggles = d[16];
        string? label = null;
        if ((toggles & 0x02) != 0)
        {
            var rest = d[17..];
            int zero = rest.IndexOf((byte)0);
            if (zero < 0) throw new ProvenanceFormatException($"the label of the superbox at byte {offset} is not terminated");
            label = Encoding.UTF8.GetString(rest[..zero]);
        }
        return (type, label);
    }
}
