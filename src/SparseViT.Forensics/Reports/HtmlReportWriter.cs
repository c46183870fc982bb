using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using SparseViT.Forensics.Records;
using SparseViT.Forensics.Verdicts;
using SparseViT.Forensics.Writers;
using static System.Net.WebUtility;

namespace SparseViT.Forensics.Reports;

/// <summary>
/// A self-contained HTML report: a summary, a sortable and filterable table, one card per image (the photo with its
/// region boxes beside the probability heat map, the verdict and its reasons, the metadata evidence, the C2PA chain, the
/// SHA-256) and the files that failed. No network, no external script, style or font; a Content-Security-Policy with a
/// per-report nonce runs only the report's own script. Every string from a file (names, EXIF, manifests) is HTML-encoded.
/// Pictures are embedded as data URIs up to <see cref="EmbedLimit"/> records (one file to mail or archive); above that
/// they go to a sibling folder "&lt;name&gt;_files/" the page references relatively, so a 10,000-image report stays light.
/// </summary>
public sealed class HtmlReportWriter(string path, ReportRun? run = null) : ReportWriter(path, run)
{
    public const int EmbedLimit = 500;
    /// <summary>The sibling folder for pictures when the report has more than <see cref="EmbedLimit"/> records.</summary>
    public string FilesDirectory => System.IO.Path.Combine(System.IO.Path.GetDirectoryName(Path)!, System.IO.Path.GetFileNameWithoutExtension(Path) + "_files");

    public override void WriteTo(Stream stream)
    {
        bool embed = Records.Count <= EmbedLimit;
        var ok = Records.Where(r => r.Status == RecordStatus.Ok).ToList();
        var pictures = new ReportImages.Pictures[ok.Count];
        Parallel.For(0, ok.Count, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, i => pictures[i] = ReportImages.Render(ok[i]));
        if (!embed) Directory.CreateDirectory(FilesDirectory);

        string nonce = Convert.ToBase64String(RandomNumberGenerator.GetBytes(18));
        var html = new StringBuilder(1 << 16);
        Head(html, nonce, large: !embed);
        Summary(html);
        Table(html, ok);
        for (int i = 0; i < ok.Count; i++) Card(html, ok[i], i, Sources(pictures[i], i, embed), pictures[i]);
        Errors(html);
        html.Append("</main>\n<script nonce=\"").Append(nonce).Append("\">").Append(Script).Append("</script>\n</body>\n</html>\n");
        stream.Write(Encoding.UTF8.GetBytes(html.ToString()));
    }

    private (string? Photo, string? Heat) Sources(ReportImages.Pictures p, int index, bool embed)
    {
        if (p.Photo.Length == 0) return (null, null);
        if (embed)
            return ("data:image/jpeg;base64," + Convert.ToBase64String(p.Photo), p.HeatMap is null ? null : "data:image/jpeg;base64," + Convert.ToBase64String(p.HeatMap));
        string folder = System.IO.Path.GetFileName(FilesDirectory);
        AtomicFile.WriteAllBytes(System.IO.Path.Combine(FilesDirectory, $"{index:D6}-photo.jpg"), p.Photo);
        if (p.HeatMap is not null) AtomicFile.WriteAllBytes(System.IO.Path.Combine(FilesDirectory, $"{index:D6}-heat.jpg"), p.HeatMap);
        return (Uri.EscapeDataString(folder) + $"/{index:D6}-photo.jpg", p.HeatMap is null ? null : Uri.EscapeDataString(folder) + $"/{index:D6}-heat.jpg");
    }

    /// <param name="large">Past <see cref="EmbedLimit"/> records the browser lays out only the cards in view.</param>
    private static void Head(StringBuilder h, string nonce, bool large) => h.Append($$"""
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data: 'self' file:; style-src 'nonce-{{nonce}}'; script-src 'nonce-{{nonce}}'; base-uri 'none'; form-action 'none'">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>SparseViT forensic report</title>
        <style nonce="{{nonce}}">
        body{font:14px/1.4 system-ui,sans-serif;margin:0;color:#1b1b1b;background:#f6f6f4}
        main{max-width:1200px;margin:auto;padding:16px}
        h1{font-size:22px}h2{font-size:18px;margin-top:28px}h3{font-size:15px;margin:0 0 8px;word-break:break-all}
        table{border-collapse:collapse;width:100%;background:#fff}th,td{border:1px solid #ddd;padding:4px 6px;text-align:left;vertical-align:top}
        th button{all:unset;cursor:pointer;font-weight:600}th[aria-sort=ascending] button::after{content:" ▲"}th[aria-sort=descending] button::after{content:" ▼"}
        td.num{text-align:right;font-variant-numeric:tabular-nums}.summary td:first-child{font-weight:600;width:14em}
        .v-manipulated{color:#fff;background:#b3261e}.v-suspicious{background:#f2c14e}.v-no-evidence{background:#cfe8cf}.v-error{color:#fff;background:#555}
        .badge{padding:1px 6px;border-radius:3px;white-space:nowrap}
        .controls{display:flex;gap:12px;align-items:center;margin:8px 0}
        .card{background:#fff;border:1px solid #ddd;margin:14px 0;padding:12px}
        body.large .card{content-visibility:auto;contain-intrinsic-size:auto 420px}
        .pictures{display:flex;gap:12px;flex-wrap:wrap}figure{margin:0}figcaption{font-size:12px;color:#555}
        .frame{position:relative;display:inline-block;line-height:0}.frame img{max-width:320px;height:auto}
        .boxes{position:absolute;left:0;top:0;width:100%;height:100%}.boxes rect{fill:none;stroke:#ff1744;stroke-width:3px;vector-effect:non-scaling-stroke}
        dl{display:grid;grid-template-columns:12em 1fr;gap:2px 10px;margin:8px 0}dt{color:#555}dd{margin:0;word-break:break-all}
        ul.reasons{margin:6px 0;padding-left:20px}code{font-size:12px}.muted{color:#777}
        </style>
        </head>
        <body class="{{(large ? "large" : "small")}}">
        <main>

        """);

    private void Summary(StringBuilder h)
    {
        int Count(Verdict v) => Records.Count(r => r.Status == RecordStatus.Ok && r.Verdict == v);
        int errors = Records.Count(r => r.Status == RecordStatus.Error);
        var models = Records.Select(r => r.Model).Where(m => m is not null).Select(m => $"{m!.Name} ({m.CheckpointSha256?[..12]}…) on {m.Device}, {m.Precision}").Distinct().ToList();
        var calibrations = Records.Select(r => r.Model?.Calibration?.File).Where(c => c is not null).Distinct().ToList();
        double seconds = Run.StartedAt is { } start ? ((Run.FinishedAt ?? DateTimeOffset.UtcNow) - start).TotalSeconds : Records.Sum(r => r.Timings?.TotalMs ?? 0) / 1000;
        h.Append("<h1>SparseViT forensic report</h1>\n<table class=\"summary\" id=\"summary\">\n");
        Row(h, "Images", Records.Count.ToString(CultureInfo.InvariantCulture));
        Row(h, "Manipulated", Count(Verdict.Manipulated).ToString(CultureInfo.InvariantCulture));
        Row(h, "Suspicious", Count(Verdict.Suspicious).ToString(CultureInfo.InvariantCulture));
        Row(h, "No evidence", Count(Verdict.NoEvidence).ToString(CultureInfo.InvariantCulture));
        Row(h, "Errors", errors.ToString(CultureInfo.InvariantCulture));
        Row(h, "Model", models.Count == 0 ? "none (metadata only)" : string.Join("; ", models));
        Row(h, "Calibration", calibrations.Count == 0 ? "uncalibrated: the map alone makes an image at most suspicious" : string.Join("; ", calibrations));
        Row(h, "Duration", seconds.ToString("0.0", CultureInfo.InvariantCulture) + " s");
        Row(h, "Scan root", Run.RootFor(Records));
        Row(h, "Tool", $"{Run.ToolName} {Run.ToolVersion}, report written {DateTimeOffset.UtcNow:yyyy-MM-dd HH:mm:ss} UTC");
        h.Append("</table>\n");
        h.Append("<p class=\"muted\">A verdict of no-evidence does not establish that an image is authentic.</p>\n");
    }

    private static void Row(StringBuilder h, string name, string value) =>
        h.Append("<tr><td>").Append(HtmlEncode(name)).Append("</td><td>").Append(HtmlEncode(value)).Append("</td></tr>\n");

    private static void Table(StringBuilder h, List<ForensicRecord> ok)
    {
        h.Append("""
            <h2>Images</h2>
            <div class="controls"><label>Filter <input id="filter" type="search" placeholder="file name or indicator"></label>
            <label>Verdict <select id="verdict-filter"><option value="">all</option><option>manipulated</option><option>suspicious</option><option>no-evidence</option></select></label>
            <span><span id="shown"></span> shown</span></div>
            <table id="records"><thead><tr>
            <th data-key="verdictRank" aria-sort="none"><button type="button">Verdict</button></th>
            <th data-key="score" aria-sort="none"><button type="button">Image score</button></th>
            <th data-key="fraction" aria-sort="none"><button type="button">Manipulated fraction</button></th>
            <th data-key="indicators" aria-sort="none"><button type="button">Indicators</button></th>
            <th data-key="file" aria-sort="none"><button type="button">File</button></th>
            </tr></thead><tbody>

            """);
        for (int i = 0; i < ok.Count; i++)
        {
            var r = ok[i];
            string verdict = r.Verdict is { } v ? ForensicRecordColumns.EnumText(v) : "none";
            string indicators = string.Join(" ", r.Indicators.Select(x => x.Id));
            string score = r.ImageScore?.ToString("0.#####", CultureInfo.InvariantCulture) ?? "";
            string fraction = r.Scores?.ManipulatedFraction.ToString("0.####", CultureInfo.InvariantCulture) ?? "";
            h.Append("<tr data-verdict=\"").Append(Attr(verdict)).Append("\" data-verdict-rank=\"").Append(Rank(r.Verdict))
             .Append("\" data-score=\"").Append(score.Length == 0 ? "-1" : score).Append("\" data-fraction=\"").Append(fraction.Length == 0 ? "-1" : fraction)
             .Append("\" data-indicators=\"").Append(Attr(indicators)).Append("\" data-file=\"").Append(Attr(r.FileName))
             .Append("\" data-search=\"").Append(Attr((r.FileName + " " + indicators).ToLowerInvariant())).Append("\">")
             .Append("<td><span class=\"badge v-").Append(Attr(verdict)).Append("\">").Append(HtmlEncode(verdict)).Append("</span></td>")
             .Append("<td class=\"num\">").Append(score).Append("</td><td class=\"num\">").Append(fraction).Append("</td>")
             .Append("<td>").Append(HtmlEncode(indicators)).Append("</td>")
             .Append("<td><a href=\"#card-").Append(i).Append("\">").Append(HtmlEncode(r.FileName)).Append("</a></td></tr>\n");
        }
        h.Append("</tbody></table>\n<h2>Details</h2>\n");
    }

    private static int Rank(Verdict? v) => v switch { Verdict.Manipulated => 3, Verdict.Suspicious => 2, Verdict.NoEvidence => 1, _ => 0 };

    private void Card(StringBuilder h, ForensicRecord r, int index, (string? Photo, string? Heat) src, ReportImages.Pictures pictures)
    {
        string verdict = r.Verdict is { } v ? ForensicRecordColumns.EnumText(v) : "none";
        h.Append("<section class=\"card\" id=\"card-").Append(index).Append("\"><h3>").Append(HtmlEncode(r.FileName))
         .Append(" <span class=\"badge v-").Append(Attr(verdict)).Append("\">").Append(HtmlEncode(verdict)).Append("</span></h3>\n<div class=\"pictures\">");
        if (src.Photo is not null)
        {
            h.Append("<figure><div class=\"frame\"><img class=\"photo\" loading=\"lazy\" alt=\"").Append(Attr(r.FileName)).Append("\" src=\"").Append(Attr(src.Photo))
             .Append("\" width=\"").Append(pictures.Width).Append("\" height=\"").Append(pictures.Height).Append("\">");
            // Boxes as SVG geometry, not style attributes: the CSP allows no inline styles.
            h.Append(CultureInfo.InvariantCulture, $"<svg class=\"boxes\" viewBox=\"0 0 {r.Width ?? 1} {r.Height ?? 1}\" preserveAspectRatio=\"none\" aria-hidden=\"true\">");
            foreach (var region in r.Scores?.Regions ?? [])
                h.Append(CultureInfo.InvariantCulture, $"<rect x=\"{region.Box.X}\" y=\"{region.Box.Y}\" width=\"{region.Box.Width}\" height=\"{region.Box.Height}\"></rect>");
            h.Append("</svg>");
            h.Append("</div><figcaption>photo, ").Append(r.Scores?.Regions.Count ?? 0).Append(" region box(es)</figcaption></figure>");
            if (src.Heat is not null)
                h.Append("<figure><img class=\"heat\" loading=\"lazy\" alt=\"probability heat map of ").Append(Attr(r.FileName)).Append("\" src=\"").Append(Attr(src.Heat))
                 .Append("\" width=\"").Append(pictures.Width).Append("\" height=\"").Append(pictures.Height).Append("\"><figcaption>probability heat map (blue 0 → red 1)</figcaption></figure>");
        }
        if (pictures.Problem is not null) h.Append("<p class=\"muted\">").Append(HtmlEncode(pictures.Problem)).Append("</p>");
        h.Append("</div>\n<ul class=\"reasons\">");
        foreach (string reason in r.Reasons) h.Append("<li>").Append(HtmlEncode(reason)).Append("</li>");
        h.Append("</ul>\n<dl>");
        var m = r.Metadata;
        Item(h, "File", r.Path);
        Item(h, "SHA-256", r.Sha256);
        Item(h, "Format, size", $"{r.Format} {r.Width}×{r.Height}");
        Item(h, "Software", m?.Software ?? m?.CreatorTool);
        Item(h, "Camera", string.Join(" ", new[] { m?.Make, m?.Model }.Where(s => s is not null)));
        Item(h, "Captured", m?.DateTimeOriginal?.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture));
        Item(h, "Modified", m?.DateTimeModified?.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture));
        Item(h, "GPS", m?.Gps is { } g ? string.Create(CultureInfo.InvariantCulture, $"{g.Latitude:0.#####}, {g.Longitude:0.#####}") : null);
        Item(h, "JPEG quality", m?.Quantization?.EstimatedQuality.ToString(CultureInfo.InvariantCulture));
        Item(h, "EXIF thumbnail", m?.Thumbnail is null ? "none" : r.Indicators.Any(i => i.Id == Evidence.IndicatorIds.ThumbnailMismatch) ? "differs from the image" : "consistent with the image");
        if (r.Provenance is { Present: true } p)
        {
            Item(h, "Content Credentials", $"{p.ValidationState}: signed by {p.Signer?.CommonName} ({p.Signer?.Organization}), issuer {p.Signer?.Issuer}; generator {p.ClaimGenerator}; {p.SigningTime:yyyy-MM-dd HH:mm:ss}");
            Item(h, "C2PA actions", string.Join(", ", p.Actions.Select(a => a.DigitalSourceType is null ? a.Action : $"{a.Action} ({a.DigitalSourceType[(a.DigitalSourceType.LastIndexOf('/') + 1)..]})")));
            Item(h, "C2PA chain", string.Join(" ← ", p.Manifests.Reverse().Select(s => $"{s.Label} [{s.Signer}: {(s.Status.Failure.Count == 0 ? "ok" : string.Join(", ", s.Status.Failure))}]")));
            Item(h, "C2PA ingredients", string.Join(", ", p.Ingredients.Select(i => i.Title)));
        }
        h.Append("</dl></section>\n");
    }

    private static void Item(StringBuilder h, string name, string? value)
    {
        if (string.IsNullOrWhiteSpace(value)) return;
        h.Append("<dt>").Append(HtmlEncode(name)).Append("</dt><dd>").Append(HtmlEncode(value)).Append("</dd>");
    }

    private void Errors(StringBuilder h)
    {
        var failed = Records.Where(r => r.Status == RecordStatus.Error).ToList();
        h.Append("<h2>Files that could not be scanned</h2>\n");
        if (failed.Count == 0) { h.Append("<p id=\"no-errors\">None.</p>\n"); return; }
        h.Append("<table id=\"errors\"><thead><tr><th>File</th><th>Code</th><th>Message</th></tr></thead><tbody>\n");
        foreach (var r in failed)
            h.Append("<tr><td>").Append(HtmlEncode(r.Path)).Append("</td><td><code>").Append(HtmlEncode(r.Error?.Code)).Append("</code></td><td>")
             .Append(HtmlEncode(r.Error?.Message)).Append("</td></tr>\n");
        h.Append("</tbody></table>\n");
    }

    private static string Attr(string? text) => HtmlEncode(text ?? "");

    private const string Script = """

        (function () {
          var table = document.getElementById('records'), body = table.tBodies[0];
          var rows = Array.prototype.slice.call(body.rows), key = null, ascending = true;
          var filter = document.getElementById('filter'), verdict = document.getElementById('verdict-filter');
          var numeric = { verdictRank: 1, score: 1, fraction: 1 };
          function apply() {
            var q = filter.value.trim().toLowerCase(), v = verdict.value, shown = 0;
            rows.forEach(function (r) {
              var visible = (!q || r.dataset.search.indexOf(q) >= 0) && (!v || r.dataset.verdict === v);
              r.hidden = !visible; if (visible) shown++;
            });
            document.getElementById('shown').textContent = String(shown);
          }
          function sortBy(k) {
            ascending = key === k ? !ascending : true; key = k;
            rows.sort(function (a, b) {
              var x = a.dataset[k], y = b.dataset[k];
              var c = numeric[k] ? parseFloat(x) - parseFloat(y) : x.localeCompare(y);
              return ascending ? c : -c;
            });
            rows.forEach(function (r) { body.appendChild(r); });
            Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th) {
              th.setAttribute('aria-sort', th.dataset.key === k ? (ascending ? 'ascending' : 'descending') : 'none');
            });
          }
          Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th) {
            th.querySelector('button').addEventListener('click', function () { sortBy(th.dataset.key); });
          });
          filter.addEventListener('input', apply);
          verdict.addEventListener('change', apply);
          apply();
        })();

        """;
}
