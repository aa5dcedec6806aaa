using System.Globalization;

namespace TenantAtlas.BuildingBlocks.Time;

/// <summary>Human forms of times and durations used across pages ("3 minutes ago", "1 m 12 s").</summary>
public static class Humanize
{
    public static string Ago(DateTimeOffset at, DateTimeOffset now)
    {
        var span = now - at;
        if (span < TimeSpan.Zero)
        {
            return "in " + Span(-span);
        }

        return span.TotalSeconds switch
        {
            < 45 => "just now",
            < 90 => "a minute ago",
            < 3600 => $"{(int)Math.Round(span.TotalMinutes)} minutes ago",
            < 5400 => "an hour ago",
            < 86400 => $"{(int)Math.Round(span.TotalHours)} hours ago",
            < 172800 => "yesterday",
            _ => $"{(int)Math.Round(span.TotalDays)} days ago",
        };
    }

    public static string Duration(TimeSpan span)
    {
        if (span < TimeSpan.Zero)
        {
            span = TimeSpan.Zero;
        }

        if (span.TotalSeconds < 1)
        {
            return $"{(int)span.TotalMilliseconds} ms";
        }

        if (span.TotalMinutes < 1)
        {
            return $"{(int)span.TotalSeconds} s";
        }

        if (span.TotalHours < 1)
        {
            return $"{(int)span.TotalMinutes} m {span.Seconds} s";
        }

        return $"{(int)span.TotalHours} h {span.Minutes} m";
    }

    private static string Span(TimeSpan span) => Duration(span);

    public static string Exact(DateTimeOffset at) =>
        at.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);

    public static string Number(long value) => value.ToString("N0", CultureInfo.InvariantCulture);
}
