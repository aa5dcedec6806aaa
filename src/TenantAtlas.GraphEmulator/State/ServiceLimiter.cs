namespace TenantAtlas.GraphEmulator.State;

/// <summary>
/// Intune's documented service limits for one tenant (GRAPH.md, "Throttling and errors"): at most
/// <see cref="TenantSpec.RequestLimit"/> calls and <see cref="TenantSpec.WriteLimit"/> writes (anything but GET) within
/// any window of <see cref="TenantSpec.LimitWindowSeconds"/>, counted as Graph counts them (a <c>$batch</c> item is a
/// call, the envelope is not). A call beyond a limit is answered 429 with <c>Retry-After</c>: the whole seconds until the
/// oldest counted call leaves the window. A refused call is not counted. Off unless a limit is set.
/// </summary>
internal sealed class ServiceLimiter(int? requestLimit, int? writeLimit, TimeSpan window)
{
    private readonly Queue<DateTimeOffset> calls = new();
    private readonly Queue<DateTimeOffset> writes = new();
    private readonly Lock gate = new();

    public bool Enabled => requestLimit is > 0 || writeLimit is > 0;

    /// <summary>Null when the call is admitted (and counted); otherwise how long the caller must wait.</summary>
    public TimeSpan? TryAdmit(bool isWrite, DateTimeOffset now)
    {
        if (!Enabled)
        {
            return null;
        }

        lock (gate)
        {
            Expire(calls, now);
            Expire(writes, now);
            if (requestLimit is > 0 && calls.Count >= requestLimit)
            {
                return Wait(calls, now);
            }

            if (isWrite && writeLimit is > 0 && writes.Count >= writeLimit)
            {
                return Wait(writes, now);
            }

            calls.Enqueue(now);
            if (isWrite)
            {
                writes.Enqueue(now);
            }

            return null;
        }
    }

    private void Expire(Queue<DateTimeOffset> queue, DateTimeOffset now)
    {
        while (queue.Count > 0 && now - queue.Peek() >= window)
        {
            queue.Dequeue();
        }
    }

    private TimeSpan Wait(Queue<DateTimeOffset> queue, DateTimeOffset now) => queue.Peek() + window - now;
}
