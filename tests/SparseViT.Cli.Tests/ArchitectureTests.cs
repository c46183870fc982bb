using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace SparseViT.Cli.Tests;

/// <summary>
/// The rules ARCHITECTURE.md states, checked on the source tree so a change that breaks one fails CI: the project
/// graph, one definition per type name, small files, and layers below the front ends that speak values, not flags.
/// </summary>
public sealed partial class ArchitectureTests
{
    private static readonly string Src = Path.Combine(CliRunner.RepoRoot, "src");

    private static IEnumerable<string> SourceFiles(string root) =>
        Directory.EnumerateFiles(root, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}") && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}"));

    [Fact]
    public void Projects_form_the_documented_dependency_graph()
    {
        var expected = new Dictionary<string, string[]>
        {
            ["SparseViT.Engine"] = [],
            ["SparseViT.Training"] = ["SparseViT.Engine"],
            ["SparseViT.Forensics"] = ["SparseViT.Engine"],
            ["SparseViT.Cli"] = ["SparseViT.Forensics", "SparseViT.Training"],
            ["SparseViT.PowerShell"] = ["SparseViT.Forensics"],
        };
        var actual = Directory.EnumerateFiles(Src, "*.csproj", SearchOption.AllDirectories).ToDictionary(
            p => Path.GetFileNameWithoutExtension(p),
            p => XDocument.Load(p).Descendants("ProjectReference")
                .Select(r => Path.GetFileNameWithoutExtension(r.Attribute("Include")!.Value.Replace('\\', '/')))
                .OrderBy(n => n, StringComparer.Ordinal).ToArray());
        Assert.Equal(expected.Keys.OrderBy(k => k, StringComparer.Ordinal), actual.Keys.OrderBy(k => k, StringComparer.Ordinal));
        foreach (var (project, references) in expected)
            Assert.True(references.SequenceEqual(actual[project]), $"{project} references [{string.Join(", ", actual[project])}], the architecture says [{string.Join(", ", references)}]");
    }

    [Fact]
    public void No_type_name_is_defined_twice()
    {
        var declarations = new List<(string Name, string File, bool Partial)>();
        foreach (string file in SourceFiles(Src))
            foreach (Match m in TypeDeclaration().Matches(File.ReadAllText(file)))
                declarations.Add((m.Groups["name"].Value, Path.GetRelativePath(CliRunner.RepoRoot, file), m.Groups["mods"].Value.Contains("partial")));
        Assert.True(declarations.Count > 100, $"only {declarations.Count} type declarations found: the pattern no longer matches the code");
        var twice = declarations.GroupBy(d => d.Name)
            .Where(g => g.Count() > 1 && !g.All(d => d.Partial))
            .Select(g => $"{g.Key}: {string.Join(", ", g.Select(d => d.File))}")
            .ToList();
        Assert.True(twice.Count == 0, "type names defined more than once:\n" + string.Join("\n", twice));
    }

    [Fact]
    public void No_source_file_is_over_300_lines()
    {
        var large = SourceFiles(Src).Concat(SourceFiles(Path.Combine(CliRunner.RepoRoot, "tests")))
            .Select(f => (File: Path.GetRelativePath(CliRunner.RepoRoot, f), Lines: File.ReadLines(f).Count()))
            .Where(f => f.Lines > 300)
            .Select(f => $"{f.File}: {f.Lines} lines")
            .ToList();
        Assert.True(large.Count == 0, "split these files:\n" + string.Join("\n", large));
    }

    /// <summary>
    /// Engine, Training and Forensics say what a value is ("batch size must be positive (got 0)"); only the CLI and the
    /// module know it came from --batch-size or -BatchSize. String literals below the front ends must not name a flag.
    /// </summary>
    [Fact]
    public void No_message_below_the_front_ends_names_a_flag()
    {
        // Arguments handed to another program are not messages to our users.
        string[] externalCommandLines = [Path.Combine("SparseViT.Engine", "Native", "NvidiaSmi.cs")];
        var offenders = new List<string>();
        foreach (string layer in new[] { "SparseViT.Engine", "SparseViT.Training", "SparseViT.Forensics" })
            foreach (string file in SourceFiles(Path.Combine(Src, layer)))
            {
                if (externalCommandLines.Any(e => file.EndsWith(e, StringComparison.Ordinal))) continue;
                int lineNumber = 0;
                foreach (string line in File.ReadLines(file))
                {
                    lineNumber++;
                    string code = line.TrimStart();
                    if (code.StartsWith("//", StringComparison.Ordinal)) continue;
                    foreach (Match literal in StringLiteral().Matches(code))
                        if (CliFlag().IsMatch(literal.Value) || PowerShellParameter().IsMatch(literal.Value))
                            offenders.Add($"{Path.GetRelativePath(Src, file)}:{lineNumber}: {literal.Value}");
                }
            }
        Assert.True(offenders.Count == 0, "messages below the front ends that name a flag:\n" + string.Join("\n", offenders));
    }

    [Fact]
    public void The_flag_rule_would_catch_a_flag()
    {
        Assert.Matches(CliFlag(), "\"--batch-size must be positive\"");
        Assert.Matches(PowerShellParameter(), "$\"pass -Checkpoint <file>\"");
        Assert.DoesNotMatch(CliFlag(), "\"batch size must be positive (got -1)\"");
        Assert.DoesNotMatch(PowerShellParameter(), "\"a 16-bit PNG\"");
    }

    [GeneratedRegex(@"^[ \t]*(?:\[[^\]\n]*\][ \t]*)*(?<mods>(?:(?:public|internal|private|protected|file|static|sealed|abstract|partial|readonly|ref|unsafe|new)\s+)*)(?:record\s+struct|record\s+class|class|record|struct|enum|interface)\s+(?<name>[A-Z]\w*)", RegexOptions.Multiline)]
    private static partial Regex TypeDeclaration();

    [GeneratedRegex("\\$?@?\"(?:[^\"\\\\]|\\\\.)*\"")]
    private static partial Regex StringLiteral();

    [GeneratedRegex(@"(?<![\w-])--[a-z][a-z-]*")]
    private static partial Regex CliFlag();

    [GeneratedRegex(@"(?<![\w-])-[A-Z][a-z]+[A-Za-z]*\b")]
    private static partial Regex PowerShellParameter();
}
