using System.Text;
using Spectre.Console;

namespace SparseViT.Cli.Output;

/// <summary>
/// Everything a command touches outside its arguments: stdout (as bytes and as text), stderr, stdin, the environment,
/// and whether a human is watching stderr. Commands receive one instead of reaching for <see cref="System.Console"/>, so the
/// tests run most of them in-process with captured streams, and stdout holds data only.
/// </summary>
public sealed class CliConsole
{
    private readonly Lazy<IAnsiConsole> _ansi;

    public CliConsole(Stream standardOutput, TextWriter output, TextWriter error, TextReader? input = null,
        Func<string, string?>? environment = null, bool isErrorTerminal = false)
    {
        StandardOutput = standardOutput;
        Out = output;
        Error = error;
        In = input ?? TextReader.Null;
        Environment = environment ?? (_ => null);
        IsErrorTerminal = isErrorTerminal;
        _ansi = new(() => AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(Error),
            Ansi = IsErrorTerminal ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = IsErrorTerminal ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = IsErrorTerminal ? InteractionSupport.Detect : InteractionSupport.No,
        }));
    }

    /// <summary>The process's own streams and environment; progress and colour only when stderr is a terminal.</summary>
    public static CliConsole ForProcess() => new(
        System.Console.OpenStandardOutput(), System.Console.Out, System.Console.Error, System.Console.In,
        System.Environment.GetEnvironmentVariable,
        isErrorTerminal: !System.Console.IsErrorRedirected && System.Environment.GetEnvironmentVariable("TERM") != "dumb");

    /// <summary>A console writing into memory (stdout as UTF-8 bytes), for running commands in-process.</summary>
    public static CliConsole InMemory(MemoryStream standardOutput, TextWriter error, TextReader? input = null, Func<string, string?>? environment = null) =>
        new(standardOutput, new StreamWriter(standardOutput, new UTF8Encoding(false), leaveOpen: true) { AutoFlush = true }, error, input, environment);

    /// <summary>Record bytes go here (JSONL is flushed line by line so a pipe consumer sees records as they come).</summary>
    public Stream StandardOutput { get; }

    /// <summary>Text data (reports, JSON documents); the same destination as <see cref="StandardOutput"/>.</summary>
    public TextWriter Out { get; }

    /// <summary>Errors, progress and logs.</summary>
    public TextWriter Error { get; }

    public TextReader In { get; }

    public Func<string, string?> Environment { get; }

    /// <summary>True when a human watches stderr: only then progress bars and colour.</summary>
    public bool IsErrorTerminal { get; }

    /// <summary>Spectre on stderr, for tables and progress.</summary>
    public IAnsiConsole Ansi => _ansi.Value;

    public void Line(string text) => Error.WriteLine(text);

    public void Warn(string text) => Error.WriteLine($"sparsevit: {text}");

    /// <summary>The libtorch thread count: the option when given, else SPARSEVIT_THREADS, else libtorch's choice.</summary>
    public int? Threads(int? option) =>
        option ?? (int.TryParse(Environment("SPARSEVIT_THREADS"), out int threads) && threads > 0 ? threads : null);
}
