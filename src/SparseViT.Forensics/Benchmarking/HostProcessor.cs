using System.Runtime.Intrinsics.X86;

namespace SparseViT.Forensics.Benchmarking;

/// <summary>
/// What a CPU benchmark line depends on besides the model: the processor, the vector extensions that decide which GEMM
/// kernels libtorch and ONNX Runtime pick (AVX-512 kernels are twice as wide as AVX2 ones; AVX512-BF16 and AMX make
/// bf16 fast). The matrix-multiply rate each backend reaches here is <see cref="SparseViT.Engine.Inference.GemmProbe"/>'s.
/// </summary>
public static class HostProcessor
{
    private static readonly string[] Reported = ["avx2", "fma", "avx512f", "avx512_vnni", "avx512_bf16", "amx_tile", "amx_bf16"];

    /// <summary>The processor's model name (Linux), or the runtime's architecture elsewhere.</summary>
    public static string Name { get; } = CpuInfo("model name") ?? System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture.ToString();

    /// <summary>The extensions of <see cref="Reported"/> the host has, in that order.</summary>
    public static IReadOnlyList<string> Features { get; } = ReadFeatures();

    private static IReadOnlyList<string> ReadFeatures()
    {
        if (CpuInfo("flags") is { } flags)
        {
            var present = flags.Split(' ', StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal);
            return Reported.Where(present.Contains).ToArray();
        }
        var fromRuntime = new List<string>();
        if (Avx2.IsSupported) fromRuntime.Add("avx2");
        if (Fma.IsSupported) fromRuntime.Add("fma");
        if (Avx512F.IsSupported) fromRuntime.Add("avx512f");
        return fromRuntime;
    }

    private static string? CpuInfo(string key)
    {
        try
        {
            foreach (string line in File.ReadLines("/proc/cpuinfo"))
            {
                int colon = line.IndexOf(':');
                if (colon > 0 && line[..colon].Trim() == key) return line[(colon + 1)..].Trim();
            }
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        return null;
    }
}
