using System.Management.Automation;
using SparseViT.Engine.Inference;

namespace SparseViT.PowerShell.Validation;

/// <summary>
/// -Precision is checked when the parameter binds, with the engine's own parser (fp32, bf16, fp16 and their long
/// names), so a typo fails before a model is loaded. Unlike ValidateSet it leaves Tab completion to
/// PrecisionCompleter, which offers the values in the order people choose them.
/// </summary>
[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field)]
public sealed class ValidatePrecisionAttribute : ValidateEnumeratedArgumentsAttribute
{
    protected override void ValidateElement(object element)
    {
        string text = element?.ToString() ?? "";
        try
        {
            PrecisionNames.Parse(text);
        }
        catch (ArgumentException)
        {
            throw new ValidationMetadataException($"'{text}' is not a precision: use fp32, bf16 or fp16.");
        }
    }
}
