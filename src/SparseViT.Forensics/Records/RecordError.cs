namespace SparseViT.Forensics.Records;

/// <param name="Code">One of <see cref="RecordErrorCodes"/>.</param>
/// <param name="Message">For people; may change between versions.</param>
/// <param name="Cause">The failing layer's own precise code when it has one (the decoder's ImageTruncated, ImageEmpty, …),
/// so scripts and the module branch on a field, never on message text.</param>
public sealed record RecordError(string Code, string Message, string? Cause = null);
