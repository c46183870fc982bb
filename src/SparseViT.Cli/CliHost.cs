using System.CommandLine;
using SparseViT.Engine.Native;

namespace SparseViT.Cli;

/// <summary>Runs the parsed command line and maps failures to exit codes with one clear line on stderr.</summary>
public static class CliHost
{
    public static int Run(RootCommand root, string[] args)
    {
        root.Description += Environment.NewLine + ExitCodes.HelpText;
        var version = root.Options.FirstOrDefault(o => o is VersionOption);
        if (version is not null) root.Options.Remove(version);
        var versionOption = new Option<bool>("--version") { Description = "Show product, TorchSharp and libtorch versions and the device." };
        root.Options.Add(versionOption);
        root.SetAction(parse =>
        {
            if (parse.GetValue(versionOption)) return VersionReport.Write(Console.Out);
            Console.Error.WriteLine("sparsevit: a command is required; see --help.");
            return ExitCodes.UsageError;
        });
        var result = root.Parse(args);
        if (result.Errors.Count > 0)
        {
            foreach (var error in result.Errors) Console.Error.WriteLine($"sparsevit: {error.Message}");
            Console.Error.WriteLine("See 'sparsevit --help'.");
            return ExitCodes.UsageError;
        }
        try
        {
            // Our handler, not System.CommandLine's: it maps exceptions to exit codes 2 and 4 instead of 1, which means "findings".
            return result.Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
        }
        catch (Exception e)
        {
            return Fail(e);
        }
    }

    /// <summary>Reports an exception that ends the whole command (not a per-file failure).</summary>
    public static int Fail(Exception e)
    {
        Console.Error.WriteLine($"sparsevit: {Describe(e)}");
        if (Environment.GetEnvironmentVariable("SPARSEVIT_DEBUG") == "1") Console.Error.WriteLine(e);
        return e is ArgumentException ? ExitCodes.UsageError : ExitCodes.Fatal;
    }

    private static string Describe(Exception e) => e is SparseViT.Engine.Checkpoints.CheckpointException c ? $"{c.Message} ({c.Code})" : DescribeOther(e);

    private static string DescribeOther(Exception e) => e is NativeRuntimeException or AggregateException { InnerException: not null }
        ? (e.InnerException is not null && e is AggregateException ? e.InnerException.Message : e.Message)
        : e.Message;
}
