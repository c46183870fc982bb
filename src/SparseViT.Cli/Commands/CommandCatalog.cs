using System.CommandLine;
using SparseViT.Cli.Output;

namespace SparseViT.Cli.Commands;

/// <summary>Every subcommand, one file each. Adding a command means one line here.</summary>
public static class CommandCatalog
{
    public static IEnumerable<Command> All(CliConsole console) =>
    [
        ScanCommand.Create(console),
        MergeCommand.Create(console),
        ReportCommand.Create(console),
        MetadataCommand.Create(console),
        FormatsCommand.Create(console),
        EvaluateCommand.Create(console),
        CalibrateCommand.Create(console),
        CheckpointCommand.Create(console),
        MaskCommand.Create(console),
        BenchCommand.Create(console),
        TrainCommand.Create(console),
    ];
}
