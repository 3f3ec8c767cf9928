using System.Security.Cryptography;

namespace Pulse.Core.Security;

/// <summary>
/// The embedded default's key file, created on first use. Processes (or threads) that start together agree on one key:
/// the file is created under an exclusive lock on a sibling lock file, written whole under a temporary name and renamed,
/// so a reader sees no file or the whole key, never a partial one, and never a second key.
/// </summary>
public static class KeyFile
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    public static byte[] ReadOrCreate(string path)
    {
        if (TryRead(path) is { } key) return key;
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var until = DateTime.UtcNow + Patience;
        while (true)
        {
            try
            {
                // FileShare.None is an exclusive flock on Unix (and a share lock on Windows): one creator at a time.
                using var gate = new FileStream(path + ".lock", FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
                return TryRead(path) ?? Create(path);
            }
            catch (IOException) when (DateTime.UtcNow < until)
            {
                Thread.Sleep(Random.Shared.Next(5, 25));   // another process holds the lock: it is creating the key
            }
        }
    }

    private static byte[] Create(string path)
    {
        var key = RandomNumberGenerator.GetBytes(32);
        var temporary = $"{path}.{Guid.NewGuid():N}.tmp";
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        using (var file = new StreamWriter(temporary, System.Text.Encoding.ASCII, options))
            file.Write(Convert.ToBase64String(key));
        File.Move(temporary, path, overwrite: true);   // under the lock, and only when no key file exists
        return key;
    }

    private static byte[]? TryRead(string path) =>
        File.Exists(path) ? Convert.FromBase64String(File.ReadAllText(path).Trim()) : null;
}
