using Spectre.Console;

namespace SparseViT.Cli.Output;

/// <summary>
/// The one place that decides whether humans are watching: progress and colour only when stderr is a terminal,
/// so logs captured by a scheduler hold plain lines and stdout stays pure data.
/// </summary>
internal static class StdErr
{
    public static bool IsTerminal => !System.Console.IsErrorRedirected && Environment.GetEnvironmentVariable("TERM") != "dumb";

    private static readonly Lazy<IAnsiConsole> Console_ = new(() => AnsiConsole.Create(new AnsiConsoleSettings
    {
        Out = new AnsiConsoleOutput(System.Console.Error),
        Ansi = IsTerminal ? AnsiSupport.Detect : AnsiSupport.No,
        ColorSystem = IsTerminal ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
        Interactive = IsTerminal ? InteractionSupport.Detect : InteractionSupport.No,
    }));

    public static IAnsiConsole Console => Console_.Value;

    public static void Line(string text) => System.Console.Error.WriteLine(text);

    public static void Warn(string text) => System.Console.Error.WriteLine($"sparsevit: {text}");
}
