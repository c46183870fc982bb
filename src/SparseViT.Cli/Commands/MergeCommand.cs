using System.CommandLine;
using SparseViT.Cli.Output;
using SparseViT.Forensics.Records;
using SparseViT.Forensics.Writers;

namespace SparseViT.Cli.Commands;

/// <summary>
/// `sparsevit merge`: shard outputs (or resumed runs) into one file with one record per path. When a path occurs
/// more than once the most recent scan wins; output is sorted by path so merging is independent of shard order.
/// </summary>
public static class MergeCommand
{
    public static Command Create(CliConsole console)
    {
        var inputs = new Argument<string[]>("inputs") { Description = "JSONL record files (shard outputs).", Arity = ArgumentArity.OneOrMore };
        var format = CommonOptions.Format("jsonl", "json", "jsonl", "csv");
        var output = CommonOptions.Output("Merged file (default: stdout).");
        var quiet = CommonOptions.Quiet();
        var command = new Command("merge", "Merge and de-duplicate JSONL record files (e.g. the shards of a distributed scan).") { inputs, format, output, quiet };
        command.SetAction(parse =>
        {
            var latest = new Dictionary<string, ForensicRecord>(StringComparer.Ordinal);
            int read = 0;
            foreach (string file in parse.GetValue(inputs)!)
            {
                if (!File.Exists(file)) throw new FileNotFoundException($"{file}: no such record file");
                var records = JsonLinesRecordReader.ReadAll(file, out bool torn);
                if (torn && !parse.GetValue(quiet)) console.Warn($"{file}: ignored a torn last line (a scan was killed while writing it)");
                foreach (var record in records)
                {
                    read++;
                    if (!latest.TryGetValue(record.Path, out var existing) || record.ScannedAt >= existing.ScannedAt) latest[record.Path] = record;
                }
            }
            using (var sink = RecordSink.Open(parse.GetValue(format)!, parse.GetValue(output), append: false, console.StandardOutput))
            {
                foreach (var record in latest.Values.OrderBy(r => r.Path, StringComparer.Ordinal)) sink.Write(record);
                sink.Complete();
            }
            if (!parse.GetValue(quiet)) console.Line($"sparsevit: merged {read} record(s) into {latest.Count} ({read - latest.Count} duplicate(s) dropped)");
            return ExitCodes.Success;
        });
        return command;
    }
}
