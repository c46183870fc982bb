using System.Text.Json;
using System.Xml.Linq;
using Microsoft.Playwright;
using SparseViT.Forensics.Tests.Support;

namespace SparseViT.Cli.Tests;

/// <summary>
/// Reports as their readers see them: the HTML report rendered by headless Chromium (Debian's, through Playwright),
/// the SARIF validated against the OASIS 2.1.0 schema, the JUnit XML parsed. The screenshot is kept in
/// artifacts/test-results/html-report.png.
/// </summary>
public sealed class ReportTests : IDisposable
{
    private const string Chromium = "/usr/bin/chromium";
    private const string HostileName = "<img src=x onerror=alert(1)>.jpg";
    private const string HostileSoftware = "<script>window.__pwned = 1</script>";
    private readonly string _dir = Directory.CreateTempSubdirectory("sparsevit-report-").FullName;

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); } catch { }
    }

    private string P(string name) => Path.Combine(_dir, name);

    private static string[] Scan(params string[] args) => ["scan", .. args, "--checkpoint", CliRunner.FixtureCheckpoint, "--batch-size", "3", "--fail-on", "never", "-q"];

    [Fact]
    public async Task Sarif_of_the_samples_validates_against_the_2_1_0_schema_and_junit_counts_three_cases()
    {
        var sarif = CliRunner.Run(Scan(CliRunner.Samples, "--format", "sarif", "--output", P("r.sarif")));
        Assert.True(sarif.ExitCode == 0, sarif.ToString());
        var schema = await NJsonSchema.JsonSchema.FromJsonAsync(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Reports", "sarif-schema-2.1.0.json")));
        string text = File.ReadAllText(P("r.sarif"));
        var errors = schema.Validate(text);
        Assert.True(errors.Count == 0, string.Join("\n", errors.Select(e => $"{e.Path}: {e.Kind}")));
        // The validator does reject what the standard forbids (a level outside its enumeration, a missing version).
        Assert.NotEmpty(schema.Validate(text.Replace("\"level\": \"warning\"", "\"level\": \"fatal\"").Replace("\"level\": \"error\"", "\"level\": \"fatal\"")));
        Assert.NotEmpty(schema.Validate(text.Replace("\"version\": \"2.1.0\"", "\"versionX\": \"2.1.0\"")));
        using var log = JsonDocument.Parse(text);
        var run = log.RootElement.GetProperty("runs")[0];
        var ruleIds = run.GetProperty("tool").GetProperty("driver").GetProperty("rules").EnumerateArray().Select(r => r.GetProperty("id").GetString()).ToList();
        Assert.Contains("verdict/manipulated", ruleIds);
        Assert.Contains("indicator/editing-software", ruleIds);
        foreach (var result in run.GetProperty("results").EnumerateArray())
        {
            Assert.Equal(ruleIds[result.GetProperty("ruleIndex").GetInt32()], result.GetProperty("ruleId").GetString());
            var location = result.GetProperty("locations")[0].GetProperty("physicalLocation").GetProperty("artifactLocation");
            Assert.Matches(@"^sample_\d\.jpg$", location.GetProperty("uri").GetString());
            Assert.Equal("SCANROOT", location.GetProperty("uriBaseId").GetString());
        }

        var junit = CliRunner.Run(Scan(CliRunner.Samples, "--format", "junit", "--output", P("r.xml")));
        Assert.True(junit.ExitCode == 0, junit.ToString());
        var suites = XDocument.Load(P("r.xml")).Root!;
        Assert.Equal("3", suites.Attribute("tests")!.Value);
        var cases = suites.Descendants("testcase").ToList();
        Assert.Equal(["sample_1.jpg", "sample_2.jpg", "sample_3.jpg"], cases.Select(c => c.Attribute("name")!.Value));
        Assert.Equal(suites.Attribute("failures")!.Value, cases.Count(c => c.Element("failure") is not null).ToString());
    }

    [Fact]
    public void Junit_fails_what_reaches_fail_on_and_errors_what_could_not_be_scanned()
    {
        Directory.CreateDirectory(P("mixed"));
        foreach (string f in Directory.GetFiles(CliRunner.Samples)) File.Copy(f, Path.Combine(P("mixed"), Path.GetFileName(f)));
        File.WriteAllBytes(Path.Combine(P("mixed"), "broken.jpg"), [0xFF, 0xD8, 0xFF, 0xE0, 0x00]);
        var r = CliRunner.Run(["scan", P("mixed"), "--checkpoint", CliRunner.FixtureCheckpoint, "--format", "junit", "--fail-on", "suspicious", "-q"]);
        var suites = XDocument.Parse(r.Stdout).Root!;
        Assert.Equal("4", suites.Attribute("tests")!.Value);
        Assert.Equal("1", suites.Attribute("errors")!.Value);
        var broken = suites.Descendants("testcase").Single(c => c.Attribute("name")!.Value == "broken.jpg");
        Assert.NotNull(broken.Element("error"));
        var records = Records(CliRunner.Run(Scan(P("mixed"), "--format", "jsonl")).Stdout);
        int flagged = records.Count(x => x.GetProperty("verdict").GetString() is "manipulated" or "suspicious");
        Assert.Equal(flagged.ToString(), suites.Attribute("failures")!.Value);
    }

    [Fact]
    public async Task Html_report_renders_in_chromium_sorts_filters_and_never_runs_hostile_text()
    {
        Assert.True(File.Exists(Chromium), $"{Chromium} is missing: apt-get install chromium (.ci/run does)");
        string folder = Directory.CreateDirectory(P("images")).FullName;
        foreach (string f in Directory.GetFiles(CliRunner.Samples)) File.Copy(f, Path.Combine(folder, Path.GetFileName(f)));
        File.Copy(Path.Combine(CliRunner.Samples, "sample_3.jpg"), Path.Combine(folder, HostileName));
        var exif = new ExifJpegBuilder { Software = HostileSoftware, Make = "<b>Cam</b>" }.Splice(File.ReadAllBytes(Path.Combine(CliRunner.Samples, "sample_3.jpg")));
        File.WriteAllBytes(Path.Combine(folder, "exif-script.jpg"), exif);
        var scan = CliRunner.Run(Scan(folder, "--format", "html", "--output", P("report.html")));
        Assert.True(scan.ExitCode == 0, scan.ToString());

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = Chromium, Headless = true, Args = ["--no-sandbox"] });
        var page = await browser.NewPageAsync(new() { ViewportSize = new() { Width = 1280, Height = 900 } });
        bool dialog = false;
        page.Dialog += (_, d) => { dialog = true; _ = d.DismissAsync(); };
        var watch = System.Diagnostics.Stopwatch.StartNew();
        await page.GotoAsync(new Uri(P("report.html")).AbsoluteUri, new() { WaitUntil = WaitUntilState.Load });
        await page.EvaluateAsync("() => Promise.all([...document.images].map(i => { i.loading = 'eager'; return i.decode().catch(() => null); }))");

        Assert.Equal(5, await page.Locator("#records tbody tr").CountAsync());
        Assert.Equal(5, await page.Locator("img.photo").CountAsync());
        Assert.Equal(5, await page.Locator("img.heat").CountAsync());
        var widths = await page.EvaluateAsync<int[]>("() => [...document.querySelectorAll('img.photo, img.heat')].map(i => i.naturalWidth)");
        Assert.All(widths, w => Assert.True(w > 0, "an image did not load"));

        // Hostile text is text: the file name and the EXIF string are shown, never executed.
        Assert.Equal(1, await page.Locator("#records td a", new() { HasTextString = HostileName }).CountAsync());
        Assert.True(await page.Locator("dd", new() { HasTextString = HostileSoftware }).CountAsync() >= 1);
        Assert.Null(await page.EvaluateAsync<int?>("() => window.__pwned ?? null"));
        Assert.False(dialog, "a dialog opened: the report executed injected script");
        Assert.Equal(0, await page.Locator("#records img, dd script, h3 img").CountAsync());

        // Sorting: by image score ascending, then descending.
        await page.ClickAsync("th[data-key=score] button");
        var ascending = await page.EvaluateAsync<double[]>("() => [...document.querySelectorAll('#records tbody tr')].map(r => parseFloat(r.dataset.score))");
        Assert.Equal(ascending.Order(), ascending);
        Assert.Equal("ascending", await page.GetAttributeAsync("th[data-key=score]", "aria-sort"));
        await page.ClickAsync("th[data-key=score] button");
        var descending = await page.EvaluateAsync<double[]>("() => [...document.querySelectorAll('#records tbody tr')].map(r => parseFloat(r.dataset.score))");
        Assert.Equal(descending.OrderDescending(), descending);

        // Filtering: by text, then by verdict.
        await page.FillAsync("#filter", "sample_2");
        Assert.Equal(1, await page.Locator("#records tbody tr:not([hidden])").CountAsync());
        Assert.Equal("1", await page.TextContentAsync("#shown"));
        await page.FillAsync("#filter", "");
        string firstVerdict = (await page.GetAttributeAsync("#records tbody tr", "data-verdict"))!;
        await page.SelectOptionAsync("#verdict-filter", firstVerdict);
        int expected = await page.EvaluateAsync<int>($"() => [...document.querySelectorAll('#records tbody tr')].filter(r => r.dataset.verdict === '{firstVerdict}').length");
        Assert.Equal(expected, await page.Locator("#records tbody tr:not([hidden])").CountAsync());

        string shots = Path.Combine(CliRunner.RepoRoot, "artifacts", "test-results");
        Directory.CreateDirectory(shots);
        await page.SelectOptionAsync("#verdict-filter", "");
        await page.ScreenshotAsync(new() { Path = Path.Combine(shots, "html-report.png"), FullPage = true });
        Console.WriteLine($"report: {new FileInfo(P("report.html")).Length} bytes, loaded and checked in {watch.ElapsedMilliseconds} ms");
    }

    private static List<JsonElement> Records(string jsonl) =>
        jsonl.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToList();
}
