using System.Runtime.CompilerServices;

[assembly: InternalsVisibleTo("SparseViT.Forensics.Tests")]
