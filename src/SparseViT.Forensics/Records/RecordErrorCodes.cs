namespace SparseViT.Forensics.Records;

/// <summary>Stable error codes for <see cref="RecordError.Code"/>.</summary>
public static class RecordErrorCodes
{
    public const string NotFound = "not-found";
    public const string Unreadable = "unreadable";
    public const string UnsupportedFormat = "unsupported-format";
    public const string DecodeFailed = "decode-failed";
    public const string InferenceFailed = "inference-failed";

    /// <summary>The model's map held NaN/Inf or values outside [0, 1]; no score or verdict was made from it.</summary>
    public const string ModelOutputNotFinite = "model-output-not-finite";
    public const string WriteFailed = "write-failed";
    public const string Internal = "internal";
}
