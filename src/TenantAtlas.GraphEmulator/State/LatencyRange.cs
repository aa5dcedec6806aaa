using System.Globalization;

namespace TenantAtlas.GraphEmulator.State;

/// <summary>
/// The latency the emulator adds to each Graph round trip (<see cref="GraphEmulatorOptions.LatencyMs"/>): uniformly random
/// between <see cref="MinMs"/> and <see cref="MaxMs"/> inclusive. Real Graph answers in tens to hundreds of milliseconds,
/// loopback in one; without this a benchmark measures a network no tenant has.
/// </summary>
public sealed record LatencyRange(int MinMs, int MaxMs)
{
    public static readonly LatencyRange None = new(0, 0);

    public bool IsNone => MaxMs == 0;

    /// <summary>The expected latency of one call (the mean of the uniform range).</summary>
    public double MeanMs => (MinMs + MaxMs) / 2.0;

    /// <summary>"80-200" (a range), "100" (fixed), null or blank (none); anything else is refused with the reason.</summary>
    public static LatencyRange Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return None;
        }

        var parts = text.Split('-', StringSplitOptions.TrimEntries);
        if (parts.Length is < 1 or > 2
            || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var min)
            || !int.TryParse(parts[^1], NumberStyles.None, CultureInfo.InvariantCulture, out var max))
        {
            throw new ArgumentException($"GraphEmulator:LatencyMs must be milliseconds as 'MIN-MAX' (e.g. 80-200) or one number, not '{text}'.");
        }

        return min > max
            ? throw new ArgumentException($"GraphEmulator:LatencyMs '{text}': the minimum is larger than the maximum.")
            : new LatencyRange(min, max);
    }

    /// <summary>One call's latency, drawn from <paramref name="random"/>.</summary>
    public TimeSpan Sample(Random random) =>
        TimeSpan.FromMilliseconds(MinMs == MaxMs ? MinMs : random.Next(MinMs, MaxMs + 1));

    public override string ToString() => IsNone ? "none" : MinMs == MaxMs ? $"{MinMs} ms" : $"{MinMs}-{MaxMs} ms";
}
