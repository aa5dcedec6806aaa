using Hangfire.AspNetCore;
using Hangfire.Logging;

namespace TenantAtlas.Web.Platform;

/// <summary>
/// Hangfire's log provider is process-global: the last host that configured Hangfire wins. When that host is disposed
/// while another keeps running in the same process (test hosts, the scheduler benchmark's three hosts), its logger
/// factory is gone and creating any Hangfire client would throw. This provider answers with a silent logger then.
/// </summary>
internal sealed class HangfireLogging(ILoggerFactory loggerFactory) : ILogProvider
{
    private readonly AspNetCoreLogProvider inner = new(loggerFactory);

    public ILog GetLogger(string name)
    {
        try
        {
            return inner.GetLogger(name);
        }
        catch (ObjectDisposedException)
        {
            return Silent.Instance;
        }
    }

    private sealed class Silent : ILog
    {
        public static readonly Silent Instance = new();

        public bool Log(Hangfire.Logging.LogLevel logLevel, Func<string>? messageFunc, Exception? exception = null) => false;
    }
}
