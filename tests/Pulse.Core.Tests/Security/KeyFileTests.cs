using Pulse.Core.Security;

namespace Pulse.Core.Tests.Security;

/// <summary>The embedded default's key file: starts that race to create it agree on one key (issue #11).</summary>
public sealed class KeyFileTests
{
    [Fact]
    public async Task ReadOrCreate_ManyThreadsStartTogether_AllGetTheSameKeyAndOneFileIsLeft()
    {
        var directory = Directory.CreateTempSubdirectory("pulse-keyfile-").FullName;
        try
        {
            for (var round = 0; round < 20; round++)
            {
                var path = Path.Combine(directory, $"pulse-{round}.db.key");
                using var start = new Barrier(16);
                var keys = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => Task.Run(() =>
                {
                    start.SignalAndWait(TestContext.Current.CancellationToken);
                    return Convert.ToBase64String(KeyFile.ReadOrCreate(path));
                }, TestContext.Current.CancellationToken)));

                Assert.Single(keys.Distinct());
                Assert.Equal(keys[0], File.ReadAllText(path));
                Assert.Equal(32, Convert.FromBase64String(keys[0]).Length);
            }
            Assert.Empty(Directory.GetFiles(directory, "*.tmp"));
            if (!OperatingSystem.IsWindows())
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(directory, "pulse-0.db.key")));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void ReadOrCreate_AnExistingFile_IsReadNotReplaced()
    {
        var directory = Directory.CreateTempSubdirectory("pulse-keyfile-").FullName;
        try
        {
            var path = Path.Combine(directory, "pulse.db.key");
            var key = Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
            File.WriteAllText(path, key + "\n");

            Assert.Equal(key, Convert.ToBase64String(KeyFile.ReadOrCreate(path)));
            Assert.Equal(key + "\n", File.ReadAllText(path));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void Fingerprint_SameKey_SameFingerprint_AnotherKey_Another_NeverTheKey()
    {
        var key = System.Security.Cryptography.RandomNumberGenerator.GetBytes(32);
        var fingerprint = new AesGcmSecretProtector(key).Fingerprint();

        Assert.Equal(fingerprint, new AesGcmSecretProtector([.. key]).Fingerprint());
        Assert.NotEqual(fingerprint, new AesGcmSecretProtector(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)).Fingerprint());
        Assert.DoesNotContain(Convert.ToHexStringLower(key), fingerprint, StringComparison.Ordinal);
        Assert.Matches("^[0-9a-f]{64}$", fingerprint);
    }
}
