using System.Management.Automation;
using Microsoft.PowerShell.Commands;

namespace SparseViT.PowerShell.Cmdlets;

/// <summary>
/// Path handling and error shaping shared by the cmdlets. Paths are resolved against the PowerShell location
/// (Set-Location), never the process working directory, which in a host rarely matches.
/// </summary>
public abstract class SparseViTCmdlet : PSCmdlet
{
    /// <summary>
    /// Expands -Path wildcards or takes -LiteralPath as written. Anything that is not an existing file system file
    /// becomes a non-terminating error and is skipped, so one bad argument does not end a scan.
    /// </summary>
    protected IEnumerable<string> ResolveFiles(IEnumerable<string>? paths, bool literal)
    {
        if (paths is null) yield break;
        foreach (string path in paths)
        {
            if (string.IsNullOrWhiteSpace(path)) continue;
            List<string> resolved = [];
            try
            {
                if (literal)
                {
                    string full = SessionState.Path.GetUnresolvedProviderPathFromPSPath(path, out ProviderInfo provider, out _);
                    if (!IsFileSystem(provider)) { WriteError(Errors.NotFileSystem(path, provider)); continue; }
                    resolved.Add(full);
                }
                else
                {
                    var found = SessionState.Path.GetResolvedProviderPathFromPSPath(path, out ProviderInfo provider);
                    if (!IsFileSystem(provider)) { WriteError(Errors.NotFileSystem(path, provider)); continue; }
                    if (found.Count == 0 && WildcardPattern.ContainsWildcardCharacters(path))
                    {
                        // Wildcards that match nothing are not an error in PowerShell (Get-ChildItem *.none), only quiet.
                        WriteVerbose($"No files match '{path}'.");
                        continue;
                    }
                    resolved.AddRange(found);
                }
            }
            catch (ItemNotFoundException e)
            {
                WriteError(Errors.PathNotFound(path, e));
                continue;
            }
            catch (Exception e) when (e is ProviderNotFoundException or System.Management.Automation.DriveNotFoundException or PSArgumentException or NotSupportedException or ArgumentException)
            {
                WriteError(new ErrorRecord(e, "InvalidPath", ErrorCategory.InvalidArgument, path));
                continue;
            }

            foreach (string file in resolved)
            {
                if (Directory.Exists(file))
                {
                    WriteError(Errors.IsDirectory(file));
                    continue;
                }
                if (!File.Exists(file))
                {
                    WriteError(Errors.PathNotFound(file, null));
                    continue;
                }
                yield return file;
            }
        }
    }

    /// <summary>A file system path for an option such as -Checkpoint or -MaskDirectory; it need not exist yet.</summary>
    protected string? ResolveOptionalPath(string? path) =>
        string.IsNullOrWhiteSpace(path) ? null : SessionState.Path.GetUnresolvedProviderPathFromPSPath(path);

    private static bool IsFileSystem(ProviderInfo provider) =>
        provider.ImplementingType == typeof(FileSystemProvider) || string.Equals(provider.Name, "FileSystem", StringComparison.OrdinalIgnoreCase);
}
