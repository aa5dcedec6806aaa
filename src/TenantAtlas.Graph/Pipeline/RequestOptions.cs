using Microsoft.Kiota.Abstractions;

namespace TenantAtlas.Graph.Pipeline;

/// <summary>What one HTTP request costs the tenant's budget: a <c>$batch</c> costs one per item (Graph counts items).</summary>
internal sealed record GraphRequestCost(int Requests, int Writes) : IRequestOption;

/// <summary>
/// Carried from one attempt to the next: the retry handler clones the request message and copies its options, so the
/// counting handler learns when the previous attempt was throttled and measures the wait in between.
/// </summary>
internal sealed class AttemptTiming : IRequestOption
{
    public DateTimeOffset? ThrottledAt { get; set; }
}
