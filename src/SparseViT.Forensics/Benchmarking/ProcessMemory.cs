using System.Globalization;

namespace SparseViT.Forensics.Benchmarking;

/// <summary>The host side of a benchmark's memory figures.</summary>
public static class ProcessMemory
{
    /// <summary>VmHWM: the process's peak resident set, which is what a container's memory limit meets.</summary>
    public static double? PeakHostRssMiB()
    {
        try
        {
            foreach (string line in File.ReadLines("/proc/self/status"))
                if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                    return Math.Round(long.Parse(line[6..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) / 1024.0, 1);
        }
        catch (IOException) { }
        return null;
    }
}
