namespace Pulse.Bench;

/// <summary>
/// The most managed memory that survived a full collection during a run: what the run keeps reachable,
/// as opposed to garbage not yet collected. Flat across sizes when nothing is kept per PR.
/// </summary>
public sealed class FullGcWatch : IDisposable
{
    private readonly Timer _timer;
    private long _peakLive;

    public FullGcWatch() => _timer = new Timer(_ => Sample(), null, TimeSpan.Zero, TimeSpan.FromMilliseconds(100));

    public double PeakLiveMb
    {
        get
        {
            Sample();
            return Interlocked.Read(ref _peakLive) / 1048576.0;
        }
    }

    private void Sample()
    {
        // A full GC's promoted bytes are the survivors of the whole heap; both kinds are asked, as each keeps its last one.
        foreach (var kind in new[] { GCKind.FullBlocking, GCKind.Background })
        {
            var promoted = GC.GetGCMemoryInfo(kind).PromotedBytes;
            long seen;
            while (promoted > (seen = Interlocked.Read(ref _peakLive)) && Interlocked.CompareExchange(ref _peakLive, promoted, seen) != seen) { }
        }
    }

    public void Dispose() => _timer.Dispose();
}
