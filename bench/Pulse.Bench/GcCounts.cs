namespace Pulse.Bench;

/// <summary>What the process allocated and how often each generation was collected: a sync's GC cost follows these.</summary>
public readonly record struct GcCounts(long AllocatedBytes, int Gen0, int Gen1, int Gen2)
{
    public static GcCounts Now() => new(GC.GetTotalAllocatedBytes(precise: false), GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2));

    public string Since(GcCounts start) =>
        $"allocated {(AllocatedBytes - start.AllocatedBytes) / 1_048_576.0:F0} MB; collections gen0 {Gen0 - start.Gen0}, gen1 {Gen1 - start.Gen1}, gen2 {Gen2 - start.Gen2}";
}
