using System.CommandLine;

namespace SparseViT.Cli.Commands;

/// <summary>Every subcommand, one file each. Adding a command means one line here.</summary>
public static class CommandCatalog
{
    public static IEnumerable<Command> All() =>
    [
        ScanCommand.Create(),
        MergeCommand.Create(),
        MetadataCommand.Create(),
        EvaluateCommand.Create(),
        CheckpointCommand.Create(),
        MaskCommand.Create(),
        BenchCommand.Create(),
        TrainCommand.Create(),
    ];
}
