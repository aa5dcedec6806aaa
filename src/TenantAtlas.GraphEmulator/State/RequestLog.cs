namespace TenantAtlas.GraphEmulator.State;

/// <summary>Every answered request, newest last, bounded so a long demo cannot grow it without limit.</summary>
internal sealed class RequestLog(int capacity)
{
    private readonly Lock sync = new();
    private readonly LinkedList<RequestLogEntry> entries = new();
    private long sequence;

    public RequestLogEntry Add(Func<long, RequestLogEntry> create)
    {
        lock (sync)
        {
            var entry = create(++sequence);
            entries.AddLast(entry);
            while (entries.Count > capacity)
            {
                entries.RemoveFirst();
            }

            return entry;
        }
    }

    public IReadOnlyList<RequestLogEntry> Snapshot()
    {
        lock (sync)
        {
            return [.. entries];
        }
    }

    public void Clear()
    {
        lock (sync)
        {
            entries.Clear();
        }
    }
}
