namespace SparseViT.Engine.Metrics;

/// <summary>What a pixel-F1 is when there is nothing to find and nothing was found (no positives on either side).</summary>
public enum EmptyMaskScore
{
    /// <summary>0, as IMDL-BenCo's evaluators (and the field's reported averages) count an authentic image.</summary>
    Zero,

    /// <summary>1: an empty prediction of an empty mask is a perfect agreement (comparing two maps of one image).</summary>
    One,
}
