namespace Pulse.Bench;

/// <summary>What the process allocated and how often each generation was collected: a sync's GC cost follows these.</summary>
public readonly record struct GcCounts(long AllocatedBytes, int Gen0, int Gen1, int Gen2)
{
    // Under Server GC's DATAS this runtime (10.0.12) sums only the heaps in use, so the total drops when a heap is
    // decommissioned and jumps back when it returns (dotnet/runtime#131069, fixed later): a difference across a change of the
    // heap count is off by that heap's total (a sync read 263 MB where its neighbours read ~1,380).
    public static GcCounts Now() => new(GC.GetTotalAllocatedBytes(precise: true), GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2));

    public string Since(GcCounts start) =>
        $"allocated {(AllocatedBytes - start.AllocatedBytes) / 1_048_576.0:F0} MB; collections gen0 {Gen0 - start.Gen0}, gen1 {Gen1 - start.Gen1}, gen2 {Gen2 - start.Gen2}";
}
