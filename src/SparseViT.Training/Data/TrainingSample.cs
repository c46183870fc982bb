using SparseViT.Engine.Imaging;

namespace SparseViT.Training.Data;

/// <summary>One training example: a square RGB image and its ground truth (1 = manipulated), both Size×Size.</summary>
public sealed record TrainingSample(RgbImage Image, byte[] Mask, ManipulationKind Kind)
{
    public int Size => Image.Width;
}
