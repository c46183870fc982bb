using TorchSharp;
namespace SparseViT.Engine.Tests;
public class SmokeTests
{
    [Fact]
    public void TorchLoads()
    {
        var t = torch.ones(2, 3);
        Assert.Equal(6.0, t.sum().item<float>());
    }
}
