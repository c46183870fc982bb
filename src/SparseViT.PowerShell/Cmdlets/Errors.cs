using System.Management.Automation;

namespace SparseViT.PowerShell.Cmdlets;

/// <summary>
/// Every ErrorRecord the module writes. Ids are stable (scripts filter on $_.FullyQualifiedErrorId) and the target
/// is always the path or value at fault, so `$Error[0].TargetObject` says which file to look at.
/// </summary>
internal static class Errors
{
    public static ErrorRecord PathNotFound(string path, Exception? inner) =>
        new(inner ?? new ItemNotFoundException($"Cannot find path '{path}' because it does not exist."), "PathNotFound", ErrorCategory.ObjectNotFound, path);

    public static ErrorRecord IsDirectory(string path) =>
        new(new IOException($"'{path}' is a directory; pass files (e.g. '{Path.Combine(path, "*.jpg")}')."), "PathIsDirectory", ErrorCategory.InvalidArgument, path);

    public static ErrorRecord NotFileSystem(string path, ProviderInfo provider) =>
        new(new NotSupportedException($"'{path}' is on the {provider.Name} provider; only file system paths can be scanned."), "NotFileSystemPath", ErrorCategory.InvalidArgument, path);

    /// <summary>
    /// Maps a scan error code (the engine's ImageDecodeException codes or the record's kebab-case codes) to an
    /// ErrorId and category. Unknown codes pass through in PascalCase so new codes still reach scripts intact.
    /// </summary>
    public static (string ErrorId, ErrorCategory Category) ForScanCode(string? code) => (code ?? "").Trim() switch
    {
        "not-found" or "NotFound" or "FileNotFound" => ("ImageNotFound", ErrorCategory.ObjectNotFound),
        "unreadable" or "Unreadable" => ("ImageUnreadable", ErrorCategory.ReadError),
        "unsupported-format" or "ImageUnrecognized" => ("ImageUnrecognized", ErrorCategory.InvalidData),
        "decode-failed" or "DecodeFailed" or "ImageDecodeFailed" => ("ImageDecodeFailed", ErrorCategory.InvalidData),
        "ImageEmpty" => ("ImageEmpty", ErrorCategory.InvalidData),
        "ImageTruncated" => ("ImageTruncated", ErrorCategory.InvalidData),
        "ImageTooLarge" => ("ImageTooLarge", ErrorCategory.LimitsExceeded),
        "inference-failed" => ("InferenceFailed", ErrorCategory.InvalidResult),
        "model-output-not-finite" or "ModelOutputNotFinite" => ("ModelOutputNotFinite", ErrorCategory.InvalidResult),
        "write-failed" => ("ArtifactWriteFailed", ErrorCategory.WriteError),
        "internal" => ("ScanFailed", ErrorCategory.NotSpecified),
        "" => ("ScanFailed", ErrorCategory.NotSpecified),
        var other => (PascalCase(other), ErrorCategory.NotSpecified),
    };

    /// <param name="cause">The failing layer's precise code (the record's <c>error.cause</c>, e.g. ImageTruncated); when
    /// present it makes the better ErrorId than the record's coarser code.</param>
    public static ErrorRecord ScanFailed(string path, string? code, string message, string? cause = null)
    {
        if (!string.IsNullOrEmpty(cause)) code = cause;
        var (id, category) = ForScanCode(code);
        return new ErrorRecord(new ImageScanException(message, code, path), id, category, path)
        {
            ErrorDetails = new ErrorDetails($"{Path.GetFileName(path)}: {message}")
            {
                RecommendedAction = category == ErrorCategory.InvalidData
                    ? "Check that the file is a complete, supported image (JPEG, PNG, WebP, BMP, GIF)."
                    : null,
            },
        };
    }

    private static string PascalCase(string code) =>
        string.Concat(code.Split('-', '_', ' ').Where(p => p.Length > 0).Select(p => char.ToUpperInvariant(p[0]) + p[1..]));
}
