using System.Diagnostics;
using System.Globalization;

namespace TenantAtlas.Benchmarks;

/// <summary>Latency figures of one measured thing, in milliseconds (nearest-rank percentiles).</summary>
internal sealed record Stats(string Name, int Count, double Mean, double P50, double P95, double P99, double Max, int Errors)
{
    public static Stats Of(string name, IReadOnlyCollection<double> samples, int errors = 0)
    {
        if (samples.Count == 0)
        {
            return new Stats(name, 0, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, errors);
        }

        var sorted = samples.Order().ToArray();
        double Rank(double p) => sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];
        return new Stats(name, sorted.Length, sorted.Average(), Rank(0.50), Rank(0.95), Rank(0.99), sorted[^1], errors);
    }

    public static string Ms(double value) => double.IsNaN(value) ? "—" : value.ToString(value < 10 ? "0.00" : "0.0", CultureInfo.InvariantCulture);
}

internal static class Timing
{
    public static double ElapsedMs(long startTimestamp) => Stopwatch.GetElapsedTime(startTimestamp).TotalMilliseconds;
}
