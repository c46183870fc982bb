using System.CommandLine;
using SparseViT.Cli.Output;
using SparseViT.Forensics.Reports;
using SparseViT.Forensics.Writers;

namespace SparseViT.Cli.Commands;

/// <summary>
/// `sparsevit report`: an HTML, SARIF or JUnit report from records already written (one scan, or the merged shards of a
/// distributed one). Images are re-read from each record's path; heat maps come from the masks the scan saved.
/// </summary>
public static class ReportCommand
{
    public static Command Create(CliConsole console)
    {
        var inputs = new Argument<string[]>("records") { Description = "JSONL record files (later records of a path win, as in merge).", Arity = ArgumentArity.OneOrMore };
        var output = CommonOptions.Output("Report file; its extension picks the format unless --format is given (.html, .sarif, .xml for JUnit).");
        output.Required = true;
        var format = new Option<string?>("--format") { Description = "html, sarif or junit (default: from the --output extension)." };
        format.AcceptOnlyFromAmong(RecordWriterFactory.ReportFormats.ToArray());
        var failOn = new Option<FailOn>("--fail-on")
        {
            Description = "Level a record fails at in JUnit and SARIF: manipulated, suspicious, error, never.",
            DefaultValueFactory = _ => FailOn.Manipulated,
            CustomParser = result => CommonOptions.Parsed(result, FailOnPolicy.Parse),
        };
        var scanRoot = new Option<string?>("--scan-root") { Description = "Folder file locations are given relative to (default: the records' common folder)." };
        var quiet = CommonOptions.Quiet();
        var command = new Command("report", "Write an HTML, SARIF 2.1.0 or JUnit XML report from JSONL records.\n" + ExitCodes.HelpText)
        {
            inputs, output, format, failOn, scanRoot, quiet,
        };
        command.Validators.Add(result =>
        {
            string? target = result.GetValue(output);
            if (result.GetValue(format) is null && target is not null && RecordWriterFactory.FormatFromExtension(target) is not ("html" or "sarif" or "junit"))
                result.AddError($"cannot tell the report format from '{Path.GetFileName(target)}': name it .html, .sarif or .xml, or give --format");
        });
        command.SetAction(parse =>
        {
            string target = parse.GetValue(output)!;
            string fmt = parse.GetValue(format) ?? RecordWriterFactory.FormatFromExtension(target)!;
            var records = RecordFiles.ReadLatest(parse.GetValue(inputs)!, console, parse.GetValue(quiet));
            var run = new ReportRun
            {
                ToolVersion = VersionReport.ProductVersion(), FailOn = parse.GetValue(failOn).ToString().ToLowerInvariant(), ScanRoot = parse.GetValue(scanRoot),
            };
            using (var writer = RecordWriterFactory.Create(fmt, target, run: run))
            {
                foreach (var record in records) writer.Write(record);
                writer.Complete();
            }
            if (!parse.GetValue(quiet)) console.Line($"sparsevit: wrote a {fmt} report of {records.Count} record(s) to {Path.GetFullPath(target)}");
            return ExitCodes.Success;
        });
        return command;
    }
}
