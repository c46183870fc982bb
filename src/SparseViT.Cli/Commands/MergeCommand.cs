using System.CommandLine;
using SparseViT.Cli.Output;

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
            var merged = RecordFiles.ReadLatest(parse.GetValue(inputs)!, console, parse.GetValue(quiet), out int read);
            using (var sink = RecordSink.Open(parse.GetValue(format)!, parse.GetValue(output), append: false, console.StandardOutput))
            {
                foreach (var record in merged) sink.Write(record);
                sink.Complete();
            }
            if (!parse.GetValue(quiet)) console.Line($"sparsevit: merged {read} record(s) into {merged.Count} ({read - merged.Count} duplicate(s) dropped)");
            return ExitCodes.Success;
        });
        return command;
    }
}
