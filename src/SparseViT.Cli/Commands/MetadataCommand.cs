using System.CommandLine;
using System.Security.Cryptography.X509Certificates;
using SparseViT.Cli.Output;
using SparseViT.Engine.Imaging;
using SparseViT.Forensics.Evidence;
using SparseViT.Forensics.Metadata;
using SparseViT.Forensics.Records;
using SparseViT.Forensics.Scanning;

namespace SparseViT.Cli.Commands;

/// <summary>`sparsevit metadata`: the metadata and evidence part of a scan, with no model (fast, no checkpoint needed).</summary>
public static class MetadataCommand
{
    public static Command Create(CliConsole console)
    {
        var inputs = new Argument<string[]>("inputs") { Description = "Files, folders, globs, or - for paths on stdin.", Arity = ArgumentArity.OneOrMore };
        var recurse = new Option<bool>("--recurse", "-r") { Description = "Descend into sub-folders." };
        var formats = CommonOptions.Formats();
        var c2paTrust = CommonOptions.C2paTrust();
        var format = CommonOptions.Format("jsonl", "json", "jsonl", "csv");
        var output = CommonOptions.Output("Record file (default: stdout).");
        var command = new Command("metadata", "Metadata and evidence indicators (EXIF, editing software, thumbnails, JPEG quantization, C2PA Content Credentials) without the model.\n" + ExitCodes.HelpText)
        {
            inputs, recurse, formats, format, output, c2paTrust,
        };
        command.SetAction(parse =>
        {
            var builder = new RecordBuilder(model: null);
            var analyzer = new EvidenceAnalyzer();
            int failed = 0;
            using var sink = RecordSink.Open(parse.GetValue(format)!, parse.GetValue(output), append: false, console.StandardOutput);
            foreach (var item in FileEnumerator.Enumerate(parse.GetValue(inputs)!, new ScanEnumerationOptions { Recurse = parse.GetValue(recurse), Stdin = console.In, ImageExtensions = ScanEnumerationOptions.ExtensionsOf(parse.GetValue(formats)) }))
            {
                var record = Describe(item, builder, analyzer, parse.GetValue(c2paTrust));
                if (record.Status != RecordStatus.Ok) failed++;
                sink.Write(record);
            }
            sink.Complete();
            return failed > 0 ? ExitCodes.SomeFilesFailed : ExitCodes.Success;
        });
        return command;
    }

    private static ForensicRecord Describe(ScanItem item, RecordBuilder builder, EvidenceAnalyzer analyzer, X509Certificate2Collection? c2paTrust)
    {
        if (!item.IsScannable) return ForensicRecord.Failed(item.Path, RecordErrorCodes.Unreadable, item.Problem ?? "not a regular file");
        try
        {
            byte[] bytes = File.ReadAllBytes(item.Path);
            var metadata = MetadataReader.Read(bytes, item.Path, c2paTrust);
            var decoded = ImageDecoder.Decode(bytes, item.Path);
            var indicators = analyzer.Analyze(EvidenceContext.From(item.Path, metadata, decoded.Image));
            return builder.Build(ImageFileInfo.FromBytes(item.Path, bytes, decoded.Format, decoded.Width, decoded.Height), metadata, indicators, map: null);
        }
        catch (ImageDecodeException e)
        {
            return ForensicRecord.Failed(item.Path, RecordErrorCodes.DecodeFailed, $"{e.Code}: {e.Message}", cause: e.Code);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return ForensicRecord.Failed(item.Path, RecordErrorCodes.Unreadable, e.Message);
        }
    }
}
