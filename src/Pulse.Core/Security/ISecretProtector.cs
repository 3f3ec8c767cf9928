namespace Pulse.Core.Security;

/// <summary>Encrypts secrets (GitHub tokens) for storage; the clear text never reaches a table or a log.</summary>
public interface ISecretProtector
{
    string Protect(string secret);

    string Unprotect(string protectedSecret);
}
