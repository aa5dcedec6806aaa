using Cronos;

namespace TenantAtlas.Backup.Scheduler;

/// <summary>
/// Fire times of a schedule, with Cronos in the schedule's zone. Cronos's DST rules apply: a fixed time skipped by
/// spring-forward fires once at the next valid time; a fixed time repeated by fall-back fires once; interval
/// expressions (<c>*/15</c>) follow elapsed time through both.
/// </summary>
internal static class ScheduleFireTimes
{
    public static bool TryParseCron(string? text, out CronExpression expression, out string? error)
    {
        expression = null!;
        var trimmed = text?.Trim() ?? "";
        if (trimmed.Length == 0)
        {
            error = "Enter a cron expression, e.g. \"0 2 * * *\" for every night at 02:00.";
            return false;
        }

        var fields = trimmed.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length;
        if (fields != 5 || trimmed.StartsWith('@'))
        {
            error = $"A cron expression has exactly 5 fields (minute hour day-of-month month day-of-week); this one has {fields}.";
            return false;
        }

        if (!CronExpression.TryParse(trimmed, CronFormat.Standard, out var parsed))
        {
            error = $"\"{trimmed}\" is not a valid cron expression (minute hour day-of-month month day-of-week).";
            return false;
        }

        expression = parsed;
        error = null;
        return true;
    }

    /// <summary>An IANA zone id (<c>Europe/Berlin</c>, <c>UTC</c>) this machine knows.</summary>
    public static bool TryFindZone(string? id, out TimeZoneInfo zone, out string? error)
    {
        zone = TimeZoneInfo.Utc;
        var trimmed = id?.Trim() ?? "";
        if (trimmed.Length == 0)
        {
            error = "Choose a time zone, e.g. Europe/Berlin.";
            return false;
        }

        try
        {
            zone = TimeZoneInfo.FindSystemTimeZoneById(trimmed);
        }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            error = $"\"{trimmed}\" is not a known IANA time zone (e.g. Europe/Berlin, America/New_York, UTC).";
            return false;
        }

        if (!zone.HasIanaId)
        {
            error = $"\"{trimmed}\" is a Windows zone name; use its IANA id (e.g. Europe/Berlin).";
            return false;
        }

        error = null;
        return true;
    }

    /// <summary>The next <paramref name="count"/> fire times after <paramref name="from"/>, with the schedule zone's offset.</summary>
    public static IReadOnlyList<DateTimeOffset> Next(CronExpression cron, TimeZoneInfo zone, DateTimeOffset from, int count)
    {
        var result = new List<DateTimeOffset>(count);
        var cursor = from;
        while (result.Count < count && cron.GetNextOccurrence(cursor, zone) is { } next)
        {
            result.Add(next);
            cursor = next;
        }

        return result;
    }

    /// <summary>
    /// Slots in (<paramref name="after"/>, <paramref name="now"/>], in UTC, oldest first, at most <paramref name="max"/>.
    /// The new watermark is <paramref name="now"/>, or the last slot taken when the cap cut the list short.
    /// </summary>
    public static (IReadOnlyList<DateTimeOffset> Slots, DateTimeOffset Watermark) Due(
        CronExpression cron, TimeZoneInfo zone, DateTimeOffset after, DateTimeOffset now, int max)
    {
        if (after >= now)
        {
            return ([], after);
        }

        var slots = cron.GetOccurrences(after, now, zone, fromInclusive: false, toInclusive: true)
            .Take(max)
            .Select(s => s.ToUniversalTime())
            .ToList();
        return (slots, slots.Count == max ? slots[^1] : now);
    }
}
