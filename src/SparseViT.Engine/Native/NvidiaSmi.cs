using System.Diagnostics;

namespace SparseViT.Engine.Native;

/// <summary>
/// What TorchSharp does not expose about the GPU (its name, the driver, per-process memory), read from nvidia-smi
/// with a timeout. Everything returns null where nvidia-smi is absent or fails, so callers never depend on it.
/// </summary>
public static class NvidiaSmi
{
    /// <summary>Runs nvidia-smi with <paramref name="arguments"/>; its stdout, or null.</summary>
    public static string? Query(string arguments, int timeoutMs = 5000)
    {
        try
        {
            var info = new ProcessStartInfo("nvidia-smi", arguments) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            using var process = Process.Start(info);
            if (process is null) return null;
            var output = process.StandardOutput.ReadToEndAsync();
            _ = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(timeoutMs))
            {
                try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
                return null;
            }
            return process.ExitCode == 0 ? output.Result : null;
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException or IOException)
        {
            return null;
        }
    }

    /// <summary>
    /// GPU memory this process holds in MiB as nvidia-smi reports it (the CUDA context included); 0 when it holds none,
    /// null when nvidia-smi is absent.
    /// </summary>
    public static double? ProcessMemoryMiB(int processId)
    {
        string? text = Query("--query-compute-apps=pid,used_memory --format=csv,noheader,nounits");
        if (text is null) return null;
        string self = processId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        foreach (string line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var cells = line.Split(',', StringSplitOptions.TrimEntries);
            if (cells.Length == 2 && cells[0] == self && double.TryParse(cells[1], System.Globalization.CultureInfo.InvariantCulture, out double mib)) return mib;
        }
        return 0;
    }

    /// <summary>"NVIDIA H100 80GB HBM3, driver 550.54.15" for GPU <paramref name="index"/>, or null.</summary>
    public static string? GpuName(int index = 0)
    {
        string? text = Query($"--query-gpu=name,driver_version --format=csv,noheader --id={index}");
        if (string.IsNullOrWhiteSpace(text)) return null;
        var cells = text.Trim().Split(',', StringSplitOptions.TrimEntries);
        return cells.Length == 2 ? $"{cells[0]}, driver {cells[1]}" : text.Trim();
    }

    /// <summary>
    /// The CUDA runtime and cuDNN libraries beside the PyTorch installation named by SPARSEVIT_LIBTORCH (PyTorch
    /// wheels keep them in site-packages/nvidia/*/lib), as file names, which carry their versions.
    /// </summary>
    public static string? CudaLibraries()
    {
        string? dir = Environment.GetEnvironmentVariable(TorchRuntime.LibTorchVariable);
        if (string.IsNullOrWhiteSpace(dir) || !Directory.Exists(dir)) return null;
        var roots = new List<string> { dir };
        string? sitePackages = Directory.GetParent(dir)?.Parent?.FullName;
        if (sitePackages is not null && Directory.Exists(Path.Combine(sitePackages, "nvidia"))) roots.Add(Path.Combine(sitePackages, "nvidia"));
        var names = roots
            .SelectMany(r => SafeFiles(r, "libcudart.so.*").Concat(SafeFiles(r, "libcudnn.so.*")))
            .Select(Path.GetFileName).Distinct().Order(StringComparer.Ordinal).ToList();
        return names.Count == 0 ? null : string.Join(", ", names);
    }

    private static IEnumerable<string> SafeFiles(string root, string pattern)
    {
        try { return Directory.EnumerateFiles(root, pattern, new EnumerationOptions { RecurseSubdirectories = true, MaxRecursionDepth = 3, IgnoreInaccessible = true }).ToList(); }
        catch (IOException) { return []; }
    }
}
