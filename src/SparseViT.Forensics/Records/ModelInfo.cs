namespace SparseViT.Forensics.Records;

/// <summary>Enough about the model to reproduce a result.</summary>
/// <param name="Calibration">Null when the checkpoint is uncalibrated: its map alone can make an image at most suspicious.</param>
public sealed record ModelInfo(string Name, string CheckpointSha256, Engine.Model.SparseViTConfig Configuration, string Device, string Precision,
    CalibrationReference? Calibration = null, string Backend = "torch")
{
    public static ModelInfo From(Engine.Inference.ModelDescription model, Calibration.ScoreCalibration? calibration = null) =>
        new(model.Name, model.CheckpointSha256, model.Configuration, model.Device, model.Precision,
            calibration is null ? null : CalibrationReference.From(calibration), model.Backend);
}
