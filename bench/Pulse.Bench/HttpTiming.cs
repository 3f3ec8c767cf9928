using System.Diagnostics;

namespace Pulse.Bench;

/// <summary>
/// Times Pulse's GraphQL requests from send to the last byte of the answer: with the simulator in the
/// same process, this is the time spent inside it (plus the loopback), as Pulse waits for it.
/// </summary>
public sealed class HttpTiming() : DelegatingHandler(new SocketsHttpHandler())
{
    private readonly Lock _gate = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private int _inFlight;
    private long _busySince;
    private long _requestTicks, _busyTicks, _requests;

    /// <summary>Sum of the requests' durations (overlapping requests count twice).</summary>
    public TimeSpan RequestTime => Stopwatch.GetElapsedTime(0, Interlocked.Read(ref _requestTicks));

    /// <summary>Wall time with at least one request in flight.</summary>
    public TimeSpan BusyTime { get { lock (_gate) return Stopwatch.GetElapsedTime(0, _busyTicks); } }

    public long Requests => Interlocked.Read(ref _requests);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
    {
        var start = Stopwatch.GetTimestamp();
        Enter();
        try
        {
            var response = await base.SendAsync(request, ct);
            // Buffer the body here so its transfer counts as request time, not as Pulse's.
            await response.Content.LoadIntoBufferAsync(ct);
            return response;
        }
        finally
        {
            Leave();
            Interlocked.Add(ref _requestTicks, Stopwatch.GetTimestamp() - start);
            Interlocked.Increment(ref _requests);
        }
    }

    private void Enter()
    {
        lock (_gate) if (_inFlight++ == 0) _busySince = _clock.ElapsedTicks;
    }

    private void Leave()
    {
        lock (_gate) if (--_inFlight == 0) _busyTicks += _clock.ElapsedTicks - _busySince;
    }
}
