using System.Globalization;
using System.Xml;
using SparseViT.Forensics.Records;

namespace SparseViT.Forensics.Reports;

/// <summary>
/// JUnit XML for CI test views (GitLab, Jenkins, Azure DevOps, GitHub reporters): one test case per file, a failure when
/// its verdict reaches the run's fail-on level (the reasons as the message), an error when it could not be scanned.
/// </summary>
public sealed class JUnitReportWriter(string path, ReportRun? run = null) : ReportWriter(path, run)
{
    public override void WriteTo(Stream stream)
    {
        string root = Run.RootFor(Records);
        int failures = Records.Count(Run.Fails), errors = Records.Count(r => r.Status == RecordStatus.Error);
        string time = Seconds(Records.Sum(r => r.Timings?.TotalMs ?? 0));
        string timestamp = (Run.StartedAt ?? Records.Select(r => r.ScannedAt).DefaultIfEmpty(DateTimeOffset.UtcNow).Min()).ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture);
        using var xml = XmlWriter.Create(stream, new XmlWriterSettings { Indent = true, Encoding = new System.Text.UTF8Encoding(false), CloseOutput = false });
        xml.WriteStartDocument();
        xml.WriteStartElement("testsuites");
        Attributes(xml, ("name", Run.ToolName), ("tests", Records.Count), ("failures", failures), ("errors", errors), ("time", time));
        xml.WriteStartElement("testsuite");
        Attributes(xml, ("name", $"{Run.ToolName} scan of {root}"), ("tests", Records.Count), ("failures", failures), ("errors", errors),
            ("skipped", 0), ("time", time), ("timestamp", timestamp), ("hostname", Environment.MachineName));
        xml.WriteStartElement("properties");
        foreach (var (name, value) in new[] { ("tool", $"{Run.ToolName} {Run.ToolVersion}"), ("failOn", Run.FailOn), ("scanRoot", root),
                     ("model", Records.Select(r => r.Model?.Name).FirstOrDefault(n => n is not null) ?? "(metadata only)") })
        {
            xml.WriteStartElement("property");
            Attributes(xml, ("name", name), ("value", value));
            xml.WriteEndElement();
        }
        xml.WriteEndElement();
        foreach (var record in Records)
        {
            string relative = ReportRun.Relative(root, record.Path);
            xml.WriteStartElement("testcase");
            Attributes(xml, ("classname", System.IO.Path.GetDirectoryName(relative)?.Replace('/', '.') is { Length: > 0 } c ? c : "."),
                ("name", record.FileName), ("file", relative), ("time", Seconds(record.Timings?.TotalMs ?? 0)));
            if (record.Status == RecordStatus.Error)
            {
                xml.WriteStartElement("error");
                Attributes(xml, ("type", record.Error?.Code ?? "error"), ("message", record.Error?.Message ?? "the file could not be scanned"));
                xml.WriteString(Clean($"{record.Error?.Code}: {record.Error?.Message}"));
                xml.WriteEndElement();
            }
            else if (Run.Fails(record))
            {
                string verdict = ForensicRecordColumns.EnumText(record.Verdict!.Value);
                xml.WriteStartElement("failure");
                Attributes(xml, ("type", verdict), ("message", $"{verdict}: {record.Reasons.FirstOrDefault()}"));
                xml.WriteString(Clean(string.Join("\n", record.Reasons)));
                xml.WriteEndElement();
            }
            xml.WriteStartElement("system-out");
            xml.WriteString(Clean($"verdict {(record.Verdict is { } v ? ForensicRecordColumns.EnumText(v) : "none")}; image score {record.ImageScore?.ToString("0.#####", CultureInfo.InvariantCulture) ?? "n/a"}; sha256 {record.Sha256}"));
            xml.WriteEndElement();
            xml.WriteEndElement();
        }
        xml.WriteEndElement();
        xml.WriteEndElement();
        xml.WriteEndDocument();
    }

    private static void Attributes(XmlWriter xml, params (string Name, object Value)[] attributes)
    {
        foreach (var (name, value) in attributes)
            xml.WriteAttributeString(name, Clean(Convert.ToString(value, CultureInfo.InvariantCulture) ?? ""));
    }

    private static string Seconds(double milliseconds) => (milliseconds / 1000).ToString("0.###", CultureInfo.InvariantCulture);

    /// <summary>XML 1.0 cannot carry most control characters, which a hostile file name or EXIF string may hold.</summary>
    private static string Clean(string text) => new(text.Select(ch => XmlConvert.IsXmlChar(ch) || char.IsSurrogate(ch) ? ch : '\uFFFD').ToArray());
}
