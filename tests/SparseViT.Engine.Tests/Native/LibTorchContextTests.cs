using SparseViT.Engine.Native;

namespace SparseViT.Engine.Tests.Native;

public class LibTorchContextTests
{
    /// <summary>
    /// NNPACK stays off once the runtime is up: on CPUs it does not know, merely asking whether it is available prints
    /// "Could not initialize NNPACK! Reason: Unsupported hardware." on every such convolution, into our stderr.
    /// </summary>
    [Fact]
    public void NnpackIsSwitchedOffWhenTheRuntimeStarts()
    {
        TorchRuntime.EnsureInitialized();
        Assert.False(LibTorchContext.NnpackEnabled);
    }
}
