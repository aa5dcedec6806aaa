namespace TenantAtlas.Graph.Contracts;

/// <summary>
/// Counts what Graph calls cost while a scope is open in the current async flow (a run opens one around its work and
/// reports <c>throttled_requests</c> / <c>throttle_wait_seconds</c> from it). Every HTTP attempt is counted, including the
/// SDK's retries, because the counter sits inside the SDK's retry handler.
/// </summary>
public interface IGraphCallMetrics
{
    /// <summary>Opens a scope for the current async flow; nested scopes also count into their parents. Dispose to close.</summary>
    GraphCallMetricsScope BeginScope();
}

/// <summary>Counters of one scope. Thread-safe; read them at any time.</summary>
public sealed class GraphCallMetricsScope : IDisposable
{
    private readonly Action<GraphCallMetricsScope> onDispose;
    private long requests;
    private long throttledRequests;
    private long throttleWaitTicks;
    private long budgetWaitTicks;
    private int disposed;

    internal GraphCallMetricsScope(GraphCallMetricsScope? parent, Action<GraphCallMetricsScope> onDispose)
    {
        Parent = parent;
        this.onDispose = onDispose;
    }

    internal GraphCallMetricsScope? Parent { get; }

    /// <summary>HTTP requests sent to Graph (each retry and each <c>$batch</c> item resend counts; a <c>$batch</c> counts once).</summary>
    public long Requests => Interlocked.Read(ref requests);

    /// <summary>Responses with status 429 (including <c>$batch</c> items answered 429).</summary>
    public long ThrottledRequests => Interlocked.Read(ref throttledRequests);

    /// <summary>Time spent waiting before retrying after a 429 (Retry-After or back-off).</summary>
    public TimeSpan ThrottleWait => TimeSpan.FromTicks(Interlocked.Read(ref throttleWaitTicks));

    /// <summary><see cref="ThrottleWait"/> rounded up to whole seconds, for <c>throttle_wait_seconds</c>.</summary>
    public long ThrottleWaitSeconds => (long)Math.Ceiling(ThrottleWait.TotalSeconds);

    /// <summary>Time spent waiting for the tenant's own throttle budget (we slowed ourselves down before Graph had to).</summary>
    public TimeSpan BudgetWait => TimeSpan.FromTicks(Interlocked.Read(ref budgetWaitTicks));

    internal void AddRequest()
    {
        for (var s = this; s is not null; s = s.Parent)
        {
            Interlocked.Increment(ref s.requests);
        }
    }

    internal void AddThrottled()
    {
        for (var s = this; s is not null; s = s.Parent)
        {
            Interlocked.Increment(ref s.throttledRequests);
        }
    }

    internal void AddThrottleWait(TimeSpan wait)
    {
        for (var s = this; s is not null; s = s.Parent)
        {
            Interlocked.Add(ref s.throttleWaitTicks, wait.Ticks);
        }
    }

    internal void AddBudgetWait(TimeSpan wait)
    {
        for (var s = this; s is not null; s = s.Parent)
        {
            Interlocked.Add(ref s.budgetWaitTicks, wait.Ticks);
        }
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref disposed, 1) == 0)
        {
            onDispose(this);
        }
    }
}
