using System.Collections.Concurrent;
using System.Diagnostics;

namespace Pulse.Bench;

/// <summary>
/// Where a distributed sync waits: every database command (Npgsql), broker publish (RabbitMQ.Client) and GraphQL request
/// (HttpClient) of this process, counted and timed by the activities the libraries emit, grouped by what they ran.
/// Concurrent calls each count their own time, so the sums may exceed the wall time.
/// </summary>
public sealed class CallTimes : IDisposable
{
    private readonly ActivityListener _listener;
    private readonly ConcurrentDictionary<string, (long Count, TimeSpan Time)> _calls = new();

    public CallTimes()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name is "Npgsql" or "System.Net.Http" || s.Name.StartsWith("RabbitMQ.Client", StringComparison.Ordinal),
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllData,
            ActivityStopped = a => _calls.AddOrUpdate(NameOf(a), (1, a.Duration), (_, c) => (c.Count + 1, c.Time + a.Duration)),
        };
        ActivitySource.AddActivityListener(_listener);
    }

    /// <summary>The <paramref name="top"/> groups by summed time, one line each, then the totals per library.</summary>
    public IEnumerable<string> Report(int top)
    {
        var calls = _calls.ToArray();
        foreach (var source in calls.GroupBy(c => c.Key.Split(' ')[0]))
            yield return $"{source.Key}: {source.Sum(c => c.Value.Count)} calls, {source.Sum(c => c.Value.Time.TotalSeconds):F1} s summed";
        foreach (var (name, (count, time)) in calls.OrderByDescending(c => c.Value.Time).Take(top))
            yield return $"{time.TotalSeconds,7:F2} s {count,6} × {time.TotalMilliseconds / count,6:F1} ms  {name}";
    }

    private static string NameOf(Activity a)
    {
        var text = a.GetTagItem("db.query.text") ?? a.GetTagItem("db.statement");
        var what = text is string sql ? string.Join(' ', sql.Split((char[])[' ', '\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries)) : a.DisplayName;
        return $"[{a.Source.Name}] {(what.Length > 90 ? what[..90] : what)}";
    }

    public void Dispose() => _listener.Dispose();
}
