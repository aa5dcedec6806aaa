using System.Globalization;
using System.Text.RegularExpressions;

namespace TenantAtlas.GraphEmulator.Faults;

/// <summary>What the scripted faults say about one call: added latency, and maybe a failure to answer with.</summary>
internal sealed record FaultDecision(int LatencyMs, FaultSpec? Failure, string? RuleId)
{
    public static readonly FaultDecision None = new(0, null, null);
}

/// <summary>The scripted faults, checked in the order they were added; thread-safe.</summary>
internal sealed class FaultEngine(TimeProvider time)
{
    private readonly Lock sync = new();
    private readonly List<Rule> rules = [];
    private int nextId;

    public FaultRule Add(FaultSpec spec)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(spec.Pattern, nameof(spec));
        if (spec.Status is { } status && (status < 400 || status > 599))
        {
            throw new ArgumentException("A fault's status must be an HTTP error status (400-599).", nameof(spec));
        }

        if (spec.Times is < 0 || spec.LatencyMs < 0 || spec.RetryAfterSeconds is < 0 || spec.DurationMs is <= 0)
        {
            throw new ArgumentException("Times, latency and Retry-After cannot be negative, and a duration must be positive.", nameof(spec));
        }

        Regex regex;
        try
        {
            regex = new Regex(
                spec.IsRegex ? spec.Pattern : GlobToRegex(spec.Pattern),
                RegexOptions.IgnoreCase | RegexOptions.CultureInvariant,
                TimeSpan.FromSeconds(1));
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"Invalid fault pattern '{spec.Pattern}': {e.Message}", nameof(spec), e);
        }

        lock (sync)
        {
            var rule = new Rule(
                "fault-" + (++nextId).ToString(CultureInfo.InvariantCulture),
                spec.Clone(),
                regex,
                spec.Times,
                spec.DurationMs is { } duration ? time.GetUtcNow().AddMilliseconds(duration) : null);
            rules.Add(rule);
            return rule.Snapshot();
        }
    }

    public IReadOnlyList<FaultRule> Snapshot()
    {
        lock (sync)
        {
            return rules.Select(r => r.Snapshot()).ToList();
        }
    }

    public bool Remove(string id)
    {
        lock (sync)
        {
            return rules.RemoveAll(r => string.Equals(r.Id, id, StringComparison.OrdinalIgnoreCase)) > 0;
        }
    }

    /// <summary>Removes all rules, or only those scoped to <paramref name="tenantId"/>.</summary>
    public void Clear(string? tenantId = null)
    {
        lock (sync)
        {
            if (tenantId is null)
            {
                rules.Clear();
            }
            else
            {
                rules.RemoveAll(r => string.Equals(r.Spec.TenantId, tenantId, StringComparison.OrdinalIgnoreCase));
            }
        }
    }

    public FaultDecision Match(string? tenantId, string method, string path)
    {
        var now = time.GetUtcNow();
        lock (sync)
        {
            var latency = 0;
            foreach (var rule in rules)
            {
                if (!rule.Applies(tenantId, method, path, now))
                {
                    continue;
                }

                latency += rule.Spec.LatencyMs;
                if (rule.Spec.Status is null)
                {
                    rule.Hits++;
                    if (rule.Remaining is not null)
                    {
                        rule.Remaining--;
                    }

                    continue;
                }

                rule.Hits++;
                if (rule.Remaining is not null)
                {
                    rule.Remaining--;
                }

                return new FaultDecision(latency, rule.Spec, rule.Id);
            }

            return latency > 0 ? new FaultDecision(latency, null, null) : FaultDecision.None;
        }
    }

    private static string GlobToRegex(string glob) =>
        "^" + Regex.Escape(glob).Replace("\\*", ".*", StringComparison.Ordinal).Replace("\\?", ".", StringComparison.Ordinal) + "$";

    private sealed class Rule(string id, FaultSpec spec, Regex regex, int? remaining, DateTimeOffset? endsAt)
    {
        public string Id { get; } = id;

        public FaultSpec Spec { get; } = spec;

        public int? Remaining { get; set; } = remaining;

        public int Hits { get; set; }

        public DateTimeOffset? EndsAt { get; } = endsAt;

        public bool Applies(string? tenantId, string method, string path, DateTimeOffset now) =>
            Remaining is null or > 0
            && (EndsAt is null || now < EndsAt)
            && (Spec.TenantId is null || string.Equals(Spec.TenantId, tenantId, StringComparison.OrdinalIgnoreCase))
            && (Spec.Method is null || string.Equals(Spec.Method, method, StringComparison.OrdinalIgnoreCase))
            && regex.IsMatch(path);

        public FaultRule Snapshot() => new(Id, Spec.Clone(), Hits, Remaining, EndsAt);
    }
}
