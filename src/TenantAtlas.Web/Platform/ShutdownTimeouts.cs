using Hangfire;

namespace TenantAtlas.Web.Platform;

/// <summary>
/// How long a stopping process waits, step by step, so a deploy (SIGTERM) hands running work back instead of burning it
/// (docs/reliability.md). Hangfire stops taking jobs at once and cancels the running jobs' tokens after
/// <c>Hangfire:StopTimeoutMilliseconds</c> (500 ms); each job stops at its next safe point and hands its run back within
/// <c>Operations:HandBackTimeout</c> (5 s); Hangfire waits for its workers up to <c>Hangfire:ShutdownTimeoutSeconds</c>
/// (20 s), and the host for all of it up to <c>Host:ShutdownTimeoutSeconds</c> (30 s). Each step must fit in the next, or a
/// job would be abandoned mid-hand-back; an orchestrator's grace period must exceed the host's (35 s or more).
/// </summary>
internal static class ShutdownTimeouts
{
    public static void AddShutdownTimeouts(this WebApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        var (stop, hangfire, host) = Read(configuration);
        var handBack = configuration.GetValue("Operations:HandBackTimeout", TimeSpan.FromSeconds(5));
        if (stop + handBack >= hangfire || hangfire >= host)
        {
            throw new InvalidOperationException(
                $"Shutdown timeouts must nest: Hangfire:StopTimeoutMilliseconds ({stop.TotalSeconds:0.#} s) + Operations:HandBackTimeout ({handBack.TotalSeconds:0.#} s) " +
                $"< Hangfire:ShutdownTimeoutSeconds ({hangfire.TotalSeconds:0.#} s) < Host:ShutdownTimeoutSeconds ({host.TotalSeconds:0.#} s).");
        }

        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = host);
    }

    public static void Apply(BackgroundJobServerOptions options, IConfiguration configuration)
    {
        var (stop, hangfire, _) = Read(configuration);
        options.StopTimeout = stop;
        options.ShutdownTimeout = hangfire;
    }

    private static (TimeSpan Stop, TimeSpan Hangfire, TimeSpan Host) Read(IConfiguration configuration) => (
        TimeSpan.FromMilliseconds(configuration.GetValue("Hangfire:StopTimeoutMilliseconds", 500)),
        TimeSpan.FromSeconds(configuration.GetValue("Hangfire:ShutdownTimeoutSeconds", 20)),
        TimeSpan.FromSeconds(configuration.GetValue("Host:ShutdownTimeoutSeconds", 30)));
}
