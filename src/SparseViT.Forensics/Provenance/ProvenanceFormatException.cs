namespace SparseViT.Forensics.Provenance;

/// <summary>The C2PA data in a file cannot be parsed: a box runs past its parent, CBOR is malformed or too deep, a limit is exceeded.</summary>
public sealed class ProvenanceFormatException(string message, Exception? inner = null) : Exception(message, inner);
