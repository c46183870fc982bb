using System.Runtime.CompilerServices;
using SparseViT.Forensics.Writers;

namespace SparseViT.Forensics.Tests.Support;

/// <summary>
/// Lets the test assembly double as the child process of the JSONL crash test: started with
/// <c>dotnet exec SparseViT.Forensics.Tests.dll</c> and <see cref="Variable"/> set, it writes records until the test kills it. Without the variable (every normal test run) it does nothing. This avoids a separate
/// helper project in the solution.
/// </summary>
internal static class JsonLinesCrashChild
{
    public const string Variable = "SPARSEVIT_TEST_JSONL_CHILD";

    /// <summary>Large records make each write take long enough that a kill often lands inside one.</summary>
    public static readonly string Padding = new('x', 64 * 1024);

    [ModuleInitializer]
    internal static void RunIfChild()
    {
        var path = Environment.GetEnvironmentVariable(Variable);
        if (string.IsNullOrEmpty(path)) return;
        var record = RecordSamples.Ok(reasonsPadding: Padding);
        using var writer = new JsonLinesRecordWriter(path, append: true);
        // Bounded so a parent that fails to kill it cannot fill the disk.
        for (long i = 0; i < 2000; i++) writer.Write(record with { Path = $"/data/{i}.jpg" });
    }
}
