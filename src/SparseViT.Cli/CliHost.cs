using System.CommandLine;
using SparseViT.Cli.Commands;
using SparseViT.Cli.Output;
using SparseViT.Engine.Checkpoints;
using SparseViT.Forensics.Models;

namespace SparseViT.Cli;

/// <summary>Builds the command tree, runs the parsed command line and maps failures to exit codes with one clear line on stderr.</summary>
public static class CliHost
{
    /// <summary>Runs <paramref name="args"/> against <paramref name="console"/>; the process entry point and the tests both come here.</summary>
    public static int Run(string[] args, CliConsole console)
    {
        var root = new RootCommand("sparsevit: find manipulated regions in images with SparseViT and write forensic records." + Environment.NewLine + ExitCodes.HelpText);
        foreach (var command in CommandCatalog.All(console)) root.Add(command);
        var version = root.Options.FirstOrDefault(o => o is VersionOption);
        if (version is not null) root.Options.Remove(version);
        var versionOption = new Option<bool>("--version") { Description = "Show product, TorchSharp and libtorch versions and the device." };
        root.Options.Add(versionOption);
        root.SetAction(parse =>
        {
            if (parse.GetValue(versionOption)) return VersionReport.Write(console);
            console.Line("sparsevit: a command is required; see --help.");
            return ExitCodes.UsageError;
        });
        var result = root.Parse(args);
        if (result.Errors.Count > 0)
        {
            foreach (var error in result.Errors) console.Line($"sparsevit: {error.Message}");
            console.Line("See 'sparsevit --help'.");
            return ExitCodes.UsageError;
        }
        try
        {
            // Our handler, not System.CommandLine's: it maps exceptions to exit codes 2 and 4 instead of 1, which means "findings".
            return result.Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false, Output = console.Out, Error = console.Error });
        }
        catch (Exception e)
        {
            return Fail(e, console);
        }
    }

    /// <summary>Reports an exception that ends the whole command (not a per-file failure).</summary>
    public static int Fail(Exception e, CliConsole console)
    {
        console.Line($"sparsevit: {Describe(e)}");
        if (console.Environment("SPARSEVIT_DEBUG") == "1") console.Line(e.ToString());
        return e is ArgumentException ? ExitCodes.UsageError : ExitCodes.Fatal;
    }

    private static string Describe(Exception e) => e switch
    {
        CheckpointException c => $"{c.Message} ({c.Code})",
        // The resolver names the places it looked; the way to point at a file from here is the flag.
        CheckpointNotFoundException => $"{e.Message} Pass --checkpoint <file> to name one.",
        AggregateException { InnerException: not null } => e.InnerException.Message,
        _ => e.Message,
    };
}
