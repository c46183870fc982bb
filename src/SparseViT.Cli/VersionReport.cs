using System.Reflection;
using SparseViT.Cli.Output;
using SparseViT.Engine.Inference;
using SparseViT.Engine.Native;
using TorchSharp;

namespace SparseViT.Cli;

/// <summary>`sparsevit --version`: what a bug report needs to reproduce a number.</summary>
public static class VersionReport
{
    /// <summary>"sparsevit 0.1.0", for files the tool writes.</summary>
    public static string ToolVersion() => $"sparsevit {ProductVersion()}";

    public static string ProductVersion() =>
        typeof(VersionReport).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "unknown";

    public static int Write(CliConsole console)
    {
        var output = console.Out;
        string product = ProductVersion();
        output.WriteLine($"sparsevit {product}");
        output.WriteLine($"TorchSharp {TorchRuntime.TorchSharpVersion}");
        try
        {
            TorchRuntime.EnsureInitialized();
            output.WriteLine($"libtorch {TorchRuntime.LibTorchVersion}");
            var device = DeviceSelector.Resolve("auto");
            string cuda = torch.cuda.is_available() ? $"CUDA available ({torch.cuda.device_count()} device(s)), cuDNN {(torch.cuda.is_cudnn_available() ? "available" : "not available")}" : $"CUDA not available: {TorchRuntime.CudaProblem}";
            output.WriteLine($"device {DeviceSelector.Describe(device)} (auto); {cuda}");
            if (torch.cuda.is_available())
            {
                output.WriteLine($"gpu {NvidiaSmi.GpuName() ?? "unknown (nvidia-smi unavailable)"}");
                if (NvidiaSmi.CudaLibraries() is { } libraries) output.WriteLine($"cuda libraries {libraries}");
            }
            output.WriteLine($"cpu threads {torch.get_num_threads()}");
        }
        catch (NativeRuntimeException e)
        {
            output.WriteLine("libtorch unavailable");
            console.Warn(e.Message);
            return ExitCodes.Fatal;
        }
        return ExitCodes.Success;
    }
}
