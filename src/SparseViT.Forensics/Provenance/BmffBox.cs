using System.Buffers.Binary;
using System.Text;

namespace SparseViT.Forensics.Provenance;

/// <summary>An ISO BMFF box located in a file, for the xpath exclusions of C2PA's BMFF hard binding.</summary>
internal sealed record BmffBox(string Type, string Path, long Offset, long Size, int Depth, int? Version)
{
    private const int MaxBoxes = 100_000;
    private const int MaxDepth = 12;

    /// <summary>Containers whose children are boxes; meta/iref also carry a version and flags first, iinf an entry count.</summary>
    private static readonly HashSet<string> Containers = ["moov", "trak", "mdia", "minf", "stbl", "dinf", "edts", "udta", "mvex", "moof", "traf", "iprp", "ipco", "grpl", "meta", "iref", "iinf", "mfra"];

    public static List<BmffBox> ReadTree(byte[] file)
    {
        var boxes = new List<BmffBox>();
        Read(file, 0, file.Length, "", 0, boxes);
        return boxes;
    }

    private static void Read(byte[] file, long start, long end, string parent, int depth, List<BmffBox> boxes)
    {
        if (depth > MaxDepth) throw new ProvenanceFormatException($"BMFF boxes are nested deeper than {MaxDepth}");
        long position = start;
        while (position + 8 <= end)
        {
            if (boxes.Count >= MaxBoxes) throw new ProvenanceFormatException($"the file has more than {MaxBoxes} BMFF boxes");
            long size = BinaryPrimitives.ReadUInt32BigEndian(file.AsSpan((int)position));
            string type = Encoding.ASCII.GetString(file, (int)position + 4, 4);
            int header = 8;
            if (size == 1)
            {
                if (position + 16 > end) break;
                size = (long)BinaryPrimitives.ReadUInt64BigEndian(file.AsSpan((int)position + 8));
                header = 16;
            }
            else if (size == 0) size = end - position;
            if (size < header || size > end - position) throw new ProvenanceFormatException($"the BMFF box '{type}' at byte {position} runs past its parent");
            bool full = type is "meta" or "iref" or "iinf";
            int? version = full && size > header ? file[position + header] : null;
            string path = parent + "/" + type;
            boxes.Add(new BmffBox(type, path, position, size, depth, version));
            if (Containers.Contains(type))
            {
                long children = position + header + (full ? 4 : 0);
                if (type == "iinf") children += version == 0 ? 2 : 4;
                Read(file, children, position + size, path, depth + 1, boxes);
            }
            position += size;
        }
    }

    /// <summary>Boxes at an xpath such as "/uuid", "/meta/iloc" or "/moov[1]/trak" (1-based index among same-typed siblings).</summary>
    public static IEnumerable<BmffBox> Select(List<BmffBox> boxes, string xpath)
    {
        var steps = xpath.Split('/', StringSplitOptions.RemoveEmptyEntries).Select(s =>
        {
            int bracket = s.IndexOf('[');
            return bracket < 0 ? (Type: s, Index: (int?)null) : (s[..bracket], int.TryParse(s[(bracket + 1)..].TrimEnd(']'), out int i) ? i : null);
        }).ToList();
        if (steps.Count == 0) return [];
        IEnumerable<BmffBox> current = boxes.Where(b => b.Depth == 0);
        for (int level = 0; level < steps.Count; level++)
        {
            var (type, index) = steps[level];
            var matching = current.Where(b => b.Type == type).ToList();
            if (index is { } i) matching = i >= 1 && i <= matching.Count ? [matching[i - 1]] : [];
            if (level == steps.Count - 1) return matching;
            current = matching.SelectMany(parent => boxes.Where(b => b.Depth == level + 1 && b.Offset >= parent.Offset + 8 && b.Offset < parent.Offset + parent.Size));
        }
        return [];
    }
}
