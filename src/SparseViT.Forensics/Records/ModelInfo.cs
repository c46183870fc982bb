namespace SparseViT.Forensics.Records;

/// <summary>Enough about the model to reproduce a result.</summary>
public sealed record ModelInfo(string Name, string CheckpointSha256, Engine.Model.SparseViTConfig Configuration, string Device, string Precision)
{
    public static ModelInfo From(Engine.Inference.ModelDescription model) =>
        new(model.Name, model.CheckpointSha256, model.Configuration, model.Device, model.Precision);
}
