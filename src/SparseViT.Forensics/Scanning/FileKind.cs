namespace SparseViT.Forensics.Scanning;

/// <summary>What a path is, found without opening it.</summary>
public enum FileKind { Regular, Directory, Fifo, Socket, CharacterDevice, BlockDevice, Missing, BrokenLink, LinkLoop, Inaccessible, Other }
