using System.Text.Json;
using System.Text.Json.Nodes;
using SparseViT.Forensics.Evidence;
using SparseViT.Forensics.Records;
using SparseViT.Forensics.Verdicts;

namespace SparseViT.Forensics.Reports;

/// <summary>
/// SARIF 2.1.0 for code-scanning views: one result per flagged (manipulated, suspicious) or failed file. Rules: one per
/// verdict kind (its <c>ruleId</c> on the result), one for scan errors, and one per evidence indicator (listed on each
/// result). Levels: manipulated → error, suspicious → warning, scan error → error. Files are artifact locations relative
/// to the scan root (uriBaseId SCANROOT). SARIF regions address text lines or byte ranges, not pixels, so the region
/// boxes travel in the result's property bag.
/// </summary>
public sealed class SarifReportWriter(string path, ReportRun? run = null) : ReportWriter(path, run)
{
    public const string SchemaUri = "https://json.schemastore.org/sarif-2.1.0.json";

    public static string RuleId(Verdict verdict) => "verdict/" + ForensicRecordColumns.EnumText(verdict);
    public const string ScanErrorRule = "scan-error";
    public static string IndicatorRule(string indicatorId) => "indicator/" + indicatorId;

    public override void WriteTo(Stream stream)
    {
        string root = Run.RootFor(Records);
        var rules = Rules();
        var ruleIndex = rules.Select((r, i) => (Id: r!["id"]!.GetValue<string>(), i)).ToDictionary(p => p.Id, p => p.i);
        var results = new JsonArray();
        foreach (var record in Records)
        {
            string? ruleId = record.Status == RecordStatus.Error ? ScanErrorRule
                : record.Verdict is Verdict.Manipulated or Verdict.Suspicious ? RuleId(record.Verdict.Value) : null;
            if (ruleId is null) continue;
            string level = record.Status == RecordStatus.Error || record.Verdict == Verdict.Manipulated ? "error" : "warning";
            string text = record.Status == RecordStatus.Error
                ? $"{record.FileName} could not be scanned ({record.Error?.Code}): {record.Error?.Message}"
                : $"{record.FileName} is {ForensicRecordColumns.EnumText(record.Verdict!.Value)}: {string.Join(" ", record.Reasons)}";
            var properties = new JsonObject
            {
                ["verdict"] = record.Verdict is { } v ? ForensicRecordColumns.EnumText(v) : null,
                ["imageScore"] = record.ImageScore,
                ["manipulatedFraction"] = record.Scores?.ManipulatedFraction,
                ["indicators"] = new JsonArray(record.Indicators.Select(i => (JsonNode?)JsonValue.Create(IndicatorRule(i.Id))).ToArray()),
                ["regions"] = new JsonArray((record.Scores?.Regions ?? []).Select(g => (JsonNode?)new JsonObject
                {
                    ["x"] = g.Box.X, ["y"] = g.Box.Y, ["width"] = g.Box.Width, ["height"] = g.Box.Height, ["meanScore"] = g.MeanScore, ["maxScore"] = g.MaxScore,
                }).ToArray()),
            };
            if (record.Error?.Code is { } code) properties["errorCode"] = code;
            var result = new JsonObject
            {
                ["ruleId"] = ruleId,
                ["ruleIndex"] = ruleIndex[ruleId],
                ["level"] = level,
                ["message"] = new JsonObject { ["text"] = text },
                ["locations"] = new JsonArray(new JsonObject
                {
                    ["physicalLocation"] = new JsonObject
                    {
                        ["artifactLocation"] = new JsonObject { ["uri"] = Uri.EscapeDataString(ReportRun.Relative(root, record.Path)).Replace("%2F", "/"), ["uriBaseId"] = "SCANROOT" },
                    },
                }),
                ["properties"] = properties,
            };
            if (record.Sha256 is { } sha) result["partialFingerprints"] = new JsonObject { ["sha256/v1"] = sha };
            results.Add(result);
        }
        var log = new JsonObject
        {
            ["$schema"] = SchemaUri,
            ["version"] = "2.1.0",
            ["runs"] = new JsonArray(new JsonObject
            {
                ["tool"] = new JsonObject
                {
                    ["driver"] = new JsonObject
                    {
                        ["name"] = Run.ToolName,
                        ["version"] = Run.ToolVersion,
                        ["informationUri"] = "https://github.com/sparsevit-automation/SparseViT.Automation",
                        ["rules"] = rules,
                    },
                },
                ["originalUriBaseIds"] = new JsonObject { ["SCANROOT"] = new JsonObject { ["uri"] = new Uri(root.TrimEnd('/') + "/").AbsoluteUri } },
                ["invocations"] = new JsonArray(new JsonObject
                {
                    ["executionSuccessful"] = true,
                    ["startTimeUtc"] = (Run.StartedAt ?? Records.Select(r => r.ScannedAt).DefaultIfEmpty(DateTimeOffset.UtcNow).Min()).UtcDateTime.ToString("O"),
                    ["endTimeUtc"] = (Run.FinishedAt ?? DateTimeOffset.UtcNow).UtcDateTime.ToString("O"),
                }),
                ["results"] = results,
            }),
        };
        using var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        log.WriteTo(writer);
    }

    private static JsonArray Rules()
    {
        static JsonObject Rule(string id, string name, string text, string level) => new()
        {
            ["id"] = id,
            ["name"] = name,
            ["shortDescription"] = new JsonObject { ["text"] = text },
            ["defaultConfiguration"] = new JsonObject { ["level"] = level },
        };
        var rules = new JsonArray
        {
            Rule(RuleId(Verdict.Manipulated), "ImageManipulated", "The model and/or the file's evidence say the image was manipulated.", "error"),
            Rule(RuleId(Verdict.Suspicious), "ImageSuspicious", "The image shows signs of manipulation that need a reviewer.", "warning"),
            Rule(ScanErrorRule, "ScanError", "The file could not be scanned (unreadable, truncated, not an image, too large).", "error"),
        };
        foreach (var rule in new EvidenceAnalyzer().Rules)
            rules.Add(Rule(IndicatorRule(rule.Id), string.Concat(rule.Id.Split('-').Select(w => char.ToUpperInvariant(w[0]) + w[1..])),
                $"Evidence indicator {rule.Id}: the file's own metadata or provenance (the result's message gives the finding; README of SparseViT.Forensics lists when it fires).", "note"));
        return rules;
    }
}
