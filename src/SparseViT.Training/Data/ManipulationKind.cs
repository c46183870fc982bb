namespace SparseViT.Training.Data;

/// <summary>The edit a synthetic sample carries (<see cref="Labelled"/>: a pair from a Tp/Gt folder, edit unknown).</summary>
public enum ManipulationKind { Authentic, Splice, CopyMove, Blur, Noise, Sharpen, Resample, Inpaint, Labelled }
