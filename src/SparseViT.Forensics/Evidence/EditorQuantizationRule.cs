namespace SparseViT.Forensics.Evidence;

/// <summary>
/// <c>editor-quantization</c> (low): every quantization table is exactly libjpeg's standard table at one quality,
/// i.e. the file was last encoded by libjpeg-family software (editors, converters, web services) rather than by
/// camera firmware, which ships its own tuned tables. Low, because some phones also use the standard tables;
/// the message says when the file nonetheless names a camera, which is the contradiction worth reading.
/// Photoshop's own tables are not catalogued; <see cref="EditingSoftwareRule"/> usually covers it.
/// </summary>
public sealed class EditorQuantizationRule : IEvidenceRule
{
    public string Id => IndicatorIds.EditorQuantization;

    public EvidenceIndicator? Evaluate(EvidenceContext context)
    {
        var metadata = context.Metadata;
        if (metadata.Quantization is not { IjgStandard: true } quantization) return null;
        string camera = string.Join(" ", new[] { metadata.Make, metadata.Model }.OfType<string>());
        string message = $"The JPEG uses the standard IJG quantization tables at quality {quantization.EstimatedQuality}, as editors and converters write them";
        message += metadata.HasCameraMetadata ? $", although the file names a camera ({camera})." : ", not a camera's own tables.";
        return new EvidenceIndicator(Id, Severity.Low, message,
            new Dictionary<string, object?>
            {
                ["estimatedQuality"] = quantization.EstimatedQuality,
                ["ijgStandard"] = true,
                ["namesCamera"] = metadata.HasCameraMetadata,
            });
    }
}
