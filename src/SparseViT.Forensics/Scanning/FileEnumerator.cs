using System.Text;
using System.Text.RegularExpressions;

namespace SparseViT.Forensics.Scanning;

/// <summary>
/// Expands file, folder, glob and "-" (stdin) arguments into <see cref="ScanItem"/>s, lazily, in a stable order:
/// arguments in the order given, folder entries sorted ordinally, each absolute path once. Every path is classified
/// without being opened, so a FIFO or a link loop becomes an item with a problem instead of a hang.
/// </summary>
public static class FileEnumerator
{
    public static IEnumerable<ScanItem> Enumerate(IEnumerable<string> arguments, ScanEnumerationOptions? options = null)
    {
        options ??= new ScanEnumerationOptions();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (string argument in arguments)
        {
            IEnumerable<ScanItem> items = argument == "-" ? FromStdin(options)
                : IsGlob(argument) ? FromGlob(argument, options)
                : FromPath(argument, options);
            foreach (var item in items)
                if (seen.Add(item.Path)) yield return item;
        }
    }

    private static IEnumerable<ScanItem> FromStdin(ScanEnumerationOptions options)
    {
        var reader = options.Stdin ?? Console.In;
        string? line;
        while ((line = reader.ReadLine()) is not null)
        {
            string path = line.TrimEnd('\r');
            if (path.Length == 0) continue;
            foreach (var item in FromPath(path, options)) yield return item;
        }
    }

    private static IEnumerable<ScanItem> FromPath(string argument, ScanEnumerationOptions options)
    {
        var item = ScanItem.From(argument, RelativeOfArgument(argument));
        if (item.Kind != FileKind.Directory)
        {
            yield return item;
            yield break;
        }
        foreach (var child in Walk(item.Path, item.Path, options, depth: 0)) yield return child;
    }

    private static IEnumerable<ScanItem> Walk(string directory, string root, ScanEnumerationOptions options, int depth)
    {
        string[] entries;
        string? listingProblem = null;
        try
        {
            entries = Directory.GetFileSystemEntries(directory);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            entries = [];
            listingProblem = e.Message;
        }
        // An unreadable folder gets one error item rather than silently contributing nothing.
        if (listingProblem is not null)
            yield return new ScanItem(directory, Relative(root, directory), FileKind.Inaccessible, 0, default, $"cannot list folder: {listingProblem}");
        Array.Sort(entries, StringComparer.Ordinal);
        foreach (string entry in entries)
        {
            var item = ScanItem.From(entry, Relative(root, entry));
            if (item.Kind == FileKind.Directory)
            {
                bool isLink = IsSymlink(entry);
                if (options.Recurse && !isLink)
                {
                    foreach (var child in Walk(entry, root, options, depth + 1)) yield return child;
                }
                else if (LooksLikeImage(entry, options))
                {
                    // A folder named like an image is almost certainly a mistake worth a record.
                    yield return item with { Problem = isLink ? "is a symbolic link to a directory, not an image file" : "is a directory, not an image file" };
                }
                continue;
            }
            if (!LooksLikeImage(entry, options)) continue;
            yield return item;
        }
    }

    private static bool LooksLikeImage(string path, ScanEnumerationOptions options) => options.ImageExtensions.Contains(Path.GetExtension(path));

    private static bool IsSymlink(string path)
    {
        try { return new FileInfo(path).LinkTarget is not null; } catch { return false; }
    }

    private static IEnumerable<ScanItem> FromGlob(string pattern, ScanEnumerationOptions options)
    {
        string normalized = pattern.Replace('\\', '/');
        var segments = normalized.Split('/');
        int firstWild = Array.FindIndex(segments, IsGlob);
        string baseDir = string.Join('/', segments[..firstWild]);
        if (baseDir.Length == 0) baseDir = normalized.StartsWith('/') ? "/" : ".";
        var regex = GlobToRegex(segments[firstWild..]);
        bool deep = segments[firstWild..].Any(s => s == "**");
        if (!Directory.Exists(baseDir)) yield break;
        string root = Path.GetFullPath(baseDir);
        IEnumerable<string> candidates;
        try
        {
            candidates = Directory.EnumerateFileSystemEntries(root, "*", new System.IO.EnumerationOptions
            {
                RecurseSubdirectories = deep || segments.Length - firstWild > 1,
                AttributesToSkip = 0,
                IgnoreInaccessible = true,
                ReturnSpecialDirectories = false,
            }).ToList();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            candidates = [];
        }
        var matches = candidates.Select(c => (Full: c, Rel: Relative(root, c))).Where(c => regex.IsMatch(c.Rel)).OrderBy(c => c.Rel, StringComparer.Ordinal);
        foreach (var (full, rel) in matches)
        {
            var item = ScanItem.From(full, rel);
            if (item.Kind == FileKind.Directory)
            {
                if (options.Recurse && !IsSymlink(full))
                    foreach (var child in Walk(item.Path, root, options, 1)) yield return child;
                continue;
            }
            yield return item;
        }
    }

    public static bool IsGlob(string argument) => argument.IndexOfAny(['*', '?', '[']) >= 0 && !File.Exists(argument) && !Directory.Exists(argument);

    private static Regex GlobToRegex(string[] segments)
    {
        var sb = new StringBuilder("^");
        for (int s = 0; s < segments.Length; s++)
        {
            string seg = segments[s];
            if (seg == "**")
            {
                sb.Append(s == segments.Length - 1 ? ".*" : "(?:[^/]+/)*");
                continue;
            }
            foreach (char c in seg)
            {
                sb.Append(c switch
                {
                    '*' => "[^/]*",
                    '?' => "[^/]",
                    '[' => "[",
                    ']' => "]",
                    _ => Regex.Escape(c.ToString()),
                });
            }
            if (s < segments.Length - 1) sb.Append('/');
        }
        sb.Append('$');
        return new Regex(sb.ToString(), RegexOptions.CultureInvariant);
    }

    private static string Relative(string root, string path) => Path.GetRelativePath(root, path).Replace('\\', '/');

    /// <summary>An explicit file's shard key: the argument as typed, so pods that receive the same list agree.</summary>
    private static string RelativeOfArgument(string argument)
    {
        string p = argument.Replace('\\', '/');
        while (p.StartsWith("./", StringComparison.Ordinal)) p = p[2..];
        return p;
    }
}
