namespace TenantAtlas.Backup.Contracts;

/// <summary>Configuration section <c>Backup</c>.</summary>
public sealed class BackupOptions
{
    public const string Section = "Backup";

    /// <summary>
    /// How often the scheduler ticks: a 5-field cron (minutes) or a 6-field one with seconds (tests).
    /// <c>Backup:SchedulerCron</c>, default every minute.
    /// </summary>
    public string SchedulerCron { get; set; } = "* * * * *";

    /// <summary>A slot first seen later than this after its time is recorded as missed and not executed.</summary>
    public TimeSpan GraceWindow { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>At most this many slots per schedule per tick (a long outage of an every-minute schedule is caught up over ticks).</summary>
    public int MaxSlotsPerScheduleTick { get; set; } = 500;

    /// <summary>
    /// How many policies a backup reads at once (<c>Backup:ReadsInFlight</c>, default 4 = the gateway's in-flight requests
    /// per tenant, <c>Graph:MaxConcurrentRequestsPerTenant</c>). Each read is a Graph round trip of tens to hundreds of
    /// milliseconds; one at a time, a tenant of 300 policies takes 4× as long as the gateway allows (docs/performance.md,
    /// "MSP night"). The throttle budget still decides how fast they go.
    /// </summary>
    public int ReadsInFlight { get; set; } = 4;
}
