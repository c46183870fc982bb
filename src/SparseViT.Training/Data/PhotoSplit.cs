namespace SparseViT.Training.Data;

/// <summary>Which side of the train / held-out split a photo belongs to.</summary>
public enum PhotoSplit { Train, HeldOut, All }
