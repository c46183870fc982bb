namespace SparseViT.Engine.Inference;

/// <summary>A normalized model input (3×S×S, CHW) and the size of the image it came from.</summary>
public sealed record ModelInput(float[] Values, int OriginalWidth, int OriginalHeight);
