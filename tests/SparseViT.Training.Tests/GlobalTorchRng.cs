namespace SparseViT.Training.Tests;

/// <summary>
/// Test classes that seed or draw from libtorch's process-wide generator (the trainer's <c>manual_seed</c> + initialization,
/// default module initialization) run one after another, so that a parallel class cannot draw between a seed and its use.
/// </summary>
[CollectionDefinition(Name)]
public sealed class GlobalTorchRng
{
    public const string Name = "libtorch global RNG";
}
