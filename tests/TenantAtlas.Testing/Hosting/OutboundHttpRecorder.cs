using System.Collections.Concurrent;
using System.Diagnostics;

namespace TenantAtlas.Testing.Hosting;

/// <summary>
/// Records every outbound HTTP request made through HttpClient in this process (the SocketsHttpHandler pipeline's
/// diagnostics), so a test can prove a page rendered from the database only. The in-memory test client does not go
/// through that pipeline and is not recorded.
/// </summary>
public sealed class OutboundHttpRecorder : IDisposable, IObserver<DiagnosticListener>, IObserver<KeyValuePair<string, object?>>
{
    private readonly IDisposable allListeners;
    private readonly List<IDisposable> subscriptions = [];
    private readonly ConcurrentQueue<string> requests = new();
    private readonly System.Runtime.CompilerServices.ConditionalWeakTable<HttpRequestMessage, object> seen = [];

    public OutboundHttpRecorder() => allListeners = DiagnosticListener.AllListeners.Subscribe(this);

    public IReadOnlyCollection<string> Requests => [.. requests];

    public void OnNext(DiagnosticListener value)
    {
        if (value.Name == "HttpHandlerDiagnosticListener")
        {
            lock (subscriptions)
            {
                subscriptions.Add(value.Subscribe(this));
            }
        }
    }

    public void OnNext(KeyValuePair<string, object?> value)
    {
        if (value.Key is "System.Net.Http.HttpRequestOut.Start" or "System.Net.Http.Request"
            && value.Value?.GetType().GetProperty("Request")?.GetValue(value.Value) is HttpRequestMessage request
            && seen.TryAdd(request, value.Key))
        {
            requests.Enqueue($"{request.Method} {request.RequestUri}");
        }
    }

    public void OnCompleted()
    {
    }

    public void OnError(Exception error)
    {
    }

    public void Dispose()
    {
        allListeners.Dispose();
        lock (subscriptions)
        {
            subscriptions.ForEach(s => s.Dispose());
        }
    }
}
