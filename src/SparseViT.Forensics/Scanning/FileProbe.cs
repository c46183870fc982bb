using System.Runtime.InteropServices;

namespace SparseViT.Forensics.Scanning;

/// <summary>
/// Classifies a path with stat(2)/lstat(2). .NET's FileInfo cannot tell a FIFO from an empty file, and opening a
/// FIFO blocks until a writer appears, so a scan must know the type before it reads anything.
/// </summary>
public static class FileProbe
{
    private const int S_IFMT = 0xF000, S_IFIFO = 0x1000, S_IFCHR = 0x2000, S_IFDIR = 0x4000, S_IFBLK = 0x6000, S_IFREG = 0x8000, S_IFLNK = 0xA000, S_IFSOCK = 0xC000;
    private const int ENOENT = 2, EACCES = 13, ENOTDIR = 20, ELOOP = 40, ENAMETOOLONG = 36;

    public static FileFacts Probe(string path)
    {
        if (!OperatingSystem.IsLinux() || (RuntimeInformation.ProcessArchitecture is not (Architecture.X64 or Architecture.Arm64)))
            return ProbeManaged(path);
        if (!TryStat(path, follow: true, out int mode, out int errno))
        {
            bool isLink = TryStat(path, follow: false, out int lmode, out _) && (lmode & S_IFMT) == S_IFLNK;
            return errno switch
            {
                ELOOP => new(FileKind.LinkLoop, 0, default, "symbolic link loop (too many levels of symbolic links)"),
                ENOENT when isLink => new(FileKind.BrokenLink, 0, default, $"broken symbolic link (target '{SafeLinkTarget(path)}' does not exist)"),
                ENOENT or ENOTDIR => new(FileKind.Missing, 0, default, "file not found"),
                EACCES => new(FileKind.Inaccessible, 0, default, "permission denied"),
                ENAMETOOLONG => new(FileKind.Missing, 0, default, "path too long"),
                _ => new(FileKind.Inaccessible, 0, default, $"cannot stat ({Marshal.GetPInvokeErrorMessage(errno)})"),
            };
        }
        return (mode & S_IFMT) switch
        {
            S_IFREG => Regular(path),
            S_IFDIR => new(FileKind.Directory, 0, SafeMtime(path), "is a directory"),
            S_IFIFO => new(FileKind.Fifo, 0, default, "is a FIFO (named pipe), not a regular file; not opened"),
            S_IFSOCK => new(FileKind.Socket, 0, default, "is a socket, not a regular file"),
            S_IFCHR => new(FileKind.CharacterDevice, 0, default, "is a character device, not a regular file"),
            S_IFBLK => new(FileKind.BlockDevice, 0, default, "is a block device, not a regular file"),
            _ => new(FileKind.Other, 0, default, "is not a regular file"),
        };
    }

    private static FileFacts Regular(string path)
    {
        try
        {
            var info = new FileInfo(path);
            return new(FileKind.Regular, info.Length, info.LastWriteTimeUtc, null);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new(FileKind.Inaccessible, 0, default, e.Message);
        }
    }

    private static DateTime SafeMtime(string path)
    {
        try { return Directory.GetLastWriteTimeUtc(path); } catch { return default; }
    }

    private static string SafeLinkTarget(string path)
    {
        try { return new FileInfo(path).LinkTarget ?? "?"; } catch { return "?"; }
    }

    private static FileFacts ProbeManaged(string path)
    {
        if (Directory.Exists(path)) return new(FileKind.Directory, 0, SafeMtime(path), "is a directory");
        if (File.Exists(path)) return Regular(path);
        return new(FileKind.Missing, 0, default, "file not found");
    }

    private static bool TryStat(string path, bool follow, out int mode, out int errno)
    {
        // struct stat is 144 bytes on x86-64 and 128 on arm64; st_mode sits at 24 and 16 respectively.
        var buffer = new byte[256];
        int rc;
        try
        {
            rc = follow ? stat(path, buffer) : lstat(path, buffer);
        }
        catch (EntryPointNotFoundException)
        {
            // glibc before 2.33 exports only __xstat; classify with what .NET can see.
            var facts = ProbeManaged(path);
            mode = facts.Kind switch { FileKind.Directory => S_IFDIR, FileKind.Regular => S_IFREG, _ => 0 };
            errno = mode == 0 ? ENOENT : 0;
            return mode != 0;
        }
        errno = rc == 0 ? 0 : Marshal.GetLastPInvokeError();
        int offset = RuntimeInformation.ProcessArchitecture == Architecture.X64 ? 24 : 16;
        mode = rc == 0 ? BitConverter.ToInt32(buffer, offset) : 0;
        return rc == 0;
    }

    [DllImport("libc", EntryPoint = "stat", SetLastError = true)]
    private static extern int stat([MarshalAs(UnmanagedType.LPUTF8Str)] string path, byte[] buffer);

    [DllImport("libc", EntryPoint = "lstat", SetLastError = true)]
    private static extern int lstat([MarshalAs(UnmanagedType.LPUTF8Str)] string path, byte[] buffer);
}
