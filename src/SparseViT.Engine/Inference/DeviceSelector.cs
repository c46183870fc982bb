using SparseViT.Engine.Native;
using TorchSharp;

namespace SparseViT.Engine.Inference;

/// <summary>Turns `auto`, `cpu`, `cuda`, `cuda:N` into a device, with a specific error when CUDA is asked for and absent.</summary>
public static class DeviceSelector
{
    public static readonly string[] Choices = ["auto", "cpu", "cuda", "cuda:0"];

    public static torch.Device Resolve(string? request)
    {
        string text = string.IsNullOrWhiteSpace(request) ? "auto" : request.Trim().ToLowerInvariant();
        TorchRuntime.EnsureInitialized();
        if (text == "auto") return torch.cuda.is_available() ? torch.CUDA : torch.CPU;
        if (text == "cpu") return torch.CPU;
        if (text == "cuda" || text.StartsWith("cuda:", StringComparison.Ordinal))
        {
            int index = 0;
            if (text.Length > 5 && (!int.TryParse(text[5..], out index) || index < 0))
                throw new ArgumentException($"unknown device '{request}' (expected auto, cpu, cuda or cuda:N)");
            string? problem = TorchRuntime.CudaProblem;
            if (problem is not null) throw new DeviceUnavailableException($"device '{request}' requested but CUDA is not available: {problem}");
            int count = torch.cuda.device_count();
            if (index >= count) throw new DeviceUnavailableException($"device '{request}' requested but only {count} CUDA device(s) are visible");
            return torch.device(DeviceType.CUDA, index);
        }
        throw new ArgumentException($"unknown device '{request}' (expected auto, cpu, cuda or cuda:N)");
    }

    /// <summary>The device a request resolves to, by name (cpu, cuda:N): for callers that must not depend on TorchSharp's types.</summary>
    public static string ResolveName(string? request) => Describe(Resolve(request));

    public static string Describe(torch.Device device) => device.type == DeviceType.CUDA ? $"cuda:{Math.Max(device.index, 0)}" : "cpu";
}
