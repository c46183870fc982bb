using System.Diagnostics;
using System.Runtime.Intrinsics.X86;
using TorchSharp;

namespace SparseViT.Forensics.Benchmarking;

/// <summary>
/// What a CPU benchmark line depends on besides the model: the processor, the vector extensions that decide which GEMM
/// kernels libtorch and ONNX Runtime pick (AVX-512 roughly doubles fp32 GEMM over AVX2; AVX512-BF16 and AMX make bf16
/// fast), and the fp32 matrix-multiply rate the host reaches with the line's thread count, the ceiling for any backend.
/// </summary>
public static class HostProcessor
{
    private static readonly string[] Reported = ["avx2", "fma", "avx512f", "avx512_vnni", "avx512_bf16", "amx_tile", "amx_bf16"];
    private static readonly Dictionary<int, double> Sgemm = [];

    /// <summary>The processor's model name (Linux), or the runtime's architecture elsewhere.</summary>
    public static string Name { get; } = CpuInfo("model name") ?? System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture.ToString();

    /// <summary>The extensions of <see cref="Reported"/> the host has, in that order.</summary>
    public static IReadOnlyList<string> Features { get; } = ReadFeatures();

    /// <summary>
    /// The best of several 2048×2048 fp32 matrix products through libtorch with <paramref name="threads"/> threads, in
    /// GFLOP/s (measured once per thread count per process; libtorch's thread setting is restored).
    /// </summary>
    public static double SgemmGflops(int threads)
    {
        lock (Sgemm)
        {
            if (Sgemm.TryGetValue(threads, out double known)) return known;
            int before = torch.get_num_threads();
            torch.set_num_threads(threads);
            try
            {
                const long n = 2048;
                using var scope = torch.NewDisposeScope();
                var a = torch.rand(n, n);
                var b = torch.rand(n, n);
                using (torch.matmul(a, b)) { }
                double best = double.MaxValue;
                for (int i = 0; i < 5; i++)
                {
                    var clock = Stopwatch.StartNew();
                    using (torch.matmul(a, b)) { }
                    best = Math.Min(best, clock.Elapsed.TotalSeconds);
                }
                return Sgemm[threads] = Math.Round(2.0 * n * n * n / best / 1e9, 1);
            }
            finally { torch.set_num_threads(before); }
        }
    }

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
