using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace TenantAtlas.BuildingBlocks.Modules;

/// <summary>
/// A registration a module makes at start-up against shared storage (e.g. its recurring job in Hangfire). If it fails —
/// a storage lock held by a process that was killed, the database restarting — the process must still start: the failure
/// is logged and the registration retried in the background (5 s, doubling up to a minute) until it succeeds or the
/// process stops. The fault suite found every process crashing at start-up on a Hangfire lock timeout before this.
/// </summary>
public static class StartupRegistration
{
    public static void RegisterWithRetry(this WebApplication app, string what, Action register)
    {
        ArgumentNullException.ThrowIfNull(app);
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(StartupRegistration));
        bool TryRegister()
        {
            try
            {
                register();
                return true;
            }
            catch (Exception e)
            {
                logger.LogWarning(e, "Could not register {What}; retrying in the background", what);
                return false;
            }
        }

        if (TryRegister())
        {
            return;
        }

        var stopping = app.Lifetime.ApplicationStopping;
        _ = Task.Run(async () =>
        {
            var delay = TimeSpan.FromSeconds(5);
            try
            {
                do
                {
                    await Task.Delay(delay, stopping);
                    delay = delay * 2 < TimeSpan.FromMinutes(1) ? delay * 2 : TimeSpan.FromMinutes(1);
                }
                while (!TryRegister());
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                // The process stops; the next start registers it.
            }
        }, CancellationToken.None);
    }
}
