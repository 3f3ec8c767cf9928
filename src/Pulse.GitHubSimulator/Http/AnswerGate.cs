namespace Pulse.GitHubSimulator.Http;

/// <summary>
/// A test's hand on the clock: while held, every answer waits before it is written, as when GitHub is slow for a while.
/// Lets a test be sure requests are in flight across an event it causes (a restart), whatever the machine's speed.
/// </summary>
public sealed class AnswerGate
{
    private readonly Lock _lock = new();
    private TaskCompletionSource? _held;
    private int _waiting;

    /// <summary>Holds answers until the returned handle is disposed.</summary>
    public IDisposable Hold()
    {
        lock (_lock) _held ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        return new Releaser(this);
    }

    /// <summary>Answers waiting for the gate now.</summary>
    public int Waiting => Volatile.Read(ref _waiting);

    internal async Task PassAsync(CancellationToken ct)
    {
        var held = Volatile.Read(ref _held);
        if (held is null) return;
        Interlocked.Increment(ref _waiting);
        try
        {
            await held.Task.WaitAsync(ct);
        }
        finally
        {
            Interlocked.Decrement(ref _waiting);
        }
    }

    private void Open()
    {
        lock (_lock)
        {
            _held?.TrySetResult();
            _held = null;
        }
    }

    private sealed class Releaser(AnswerGate gate) : IDisposable
    {
        public void Dispose() => gate.Open();
    }
}
