using System.Globalization;
using Microsoft.JSInterop;
using TenantAtlas.Backup.ScheduleAdmin;
using TenantAtlas.Backup.Scheduler;

namespace TenantAtlas.Backup.Pages;

/// <summary>Fire times and labels shared by the backup pages.</summary>
internal static class BackupPageHelpers
{
    /// <summary>The browser's IANA zone once the circuit is interactive; UTC before (prerender) or when unknown.</summary>
    public static async Task<TimeZoneInfo> DetectViewerZoneAsync(IJSRuntime js)
    {
        try
        {
            var id = await js.InvokeAsync<string?>("eval", "Intl.DateTimeFormat().resolvedOptions().timeZone");
            return ScheduleFireTimes.TryFindZone(id, out var zone, out _) ? zone : TimeZoneInfo.Utc;
        }
        catch (Exception e) when (e is JSException or InvalidOperationException or TaskCanceledException)
        {
            return TimeZoneInfo.Utc;
        }
    }

    /// <summary>The next <paramref name="count"/> fire times, or none when the definition is not valid.</summary>
    public static IReadOnlyList<DateTimeOffset> Next(string cron, string zoneId, DateTimeOffset now, int count) =>
        ScheduleFireTimes.TryParseCron(cron, out var expression, out _) && ScheduleFireTimes.TryFindZone(zoneId, out var zone, out _)
            ? ScheduleFireTimes.Next(expression, zone, now, count)
            : [];

    /// <summary>"Sat 28 Nov 2026 02:00 (Europe/Berlin, +01:00)".</summary>
    public static string InZone(DateTimeOffset at, TimeZoneInfo zone) =>
        TimeZoneInfo.ConvertTime(at, zone) is var local
            ? $"{local.ToString("ddd dd MMM yyyy HH:mm", CultureInfo.InvariantCulture)} ({ZoneLabel(zone)}, {local.ToString("zzz", CultureInfo.InvariantCulture)})"
            : "";

    public static string ZoneLabel(TimeZoneInfo zone) => zone == TimeZoneInfo.Utc ? "UTC" : zone.Id;

    public static TimeZoneInfo Zone(string id) => ScheduleFireTimes.TryFindZone(id, out var zone, out _) ? zone : TimeZoneInfo.Utc;

    public static string TypeLabel(string type) =>
        TenantAtlas.Operations.Contracts.OperationTypes.All.FirstOrDefault(d => d.Key == type)?.Label ?? type;

    public static string Size(long bytes) => bytes switch
    {
        < 1024 => $"{bytes} B",
        < 1024 * 1024 => $"{bytes / 1024.0:0.0} KB",
        _ => $"{bytes / 1024.0 / 1024.0:0.0} MB",
    };
}
