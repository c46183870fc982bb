namespace SparseViT.Engine.Imaging;

/// <summary>PIL-compatible Lanczos (support 3) resampling of a single-channel float image. (stub: imaging work in progress)</summary>
public static class LanczosResize
{
    public static float[] Resize(float[] source, int sourceWidth, int sourceHeight, int width, int height) =>
        throw new NotImplementedException();
}
