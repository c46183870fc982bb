namespace SparseViT.Engine.Checkpoints;

/// <summary>A checkpoint that cannot be read or does not fit the model; <see cref="Code"/> says why.</summary>
public sealed class CheckpointException : Exception
{
    public string Code { get; }
    public string? Path { get; }

    public CheckpointException(string code, string? path, string message, Exception? inner = null)
        : base(Prefix(path) + message, inner)
    {
        Code = code;
        Path = path;
    }

    // Messages lead with the file name so that a batch log line is self-explanatory.
    private static string Prefix(string? path) => string.IsNullOrEmpty(path) ? "" : System.IO.Path.GetFileName(path) + ": ";
}
