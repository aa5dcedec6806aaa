namespace TenantAtlas.GraphEmulator.Seeding;

/// <summary>What generated objects may point at: the tenant's groups, assignment filters and scope tags.</summary>
internal sealed class SeedContext
{
    public required IReadOnlyList<string> GroupIds { get; init; }

    public required IReadOnlyList<FilterRef> Filters { get; init; }

    /// <summary>Scope tag ids besides "0".</summary>
    public required IReadOnlyList<string> ScopeTagIds { get; init; }

    /// <summary>Named location ids (Conditional Access policies exclude them).</summary>
    public IReadOnlyList<string> NamedLocationIds { get; set; } = [];

    /// <summary>The endpoint security templates of the tenant (intents are made from them).</summary>
    public IReadOnlyList<string> TemplateIds { get; set; } = [];

    public required DateTimeOffset Anchor { get; init; }

    public required string Domain { get; init; }

    /// <summary>The tenant's id: Intune's default enrollment configurations are named after it.</summary>
    public string TenantId { get; init; } = "";

    /// <summary>Objects a policy set may bundle (seeded before the sets): the item type and the object's id and name.</summary>
    public IReadOnlyList<(string ItemType, string Id, string Name)> PolicySetPayloads { get; set; } = [];

    /// <summary>The tenant spec's seed: which drivers Windows Update offers for the tenant's devices.</summary>
    public int Seed { get; init; }
}

internal sealed record FilterRef(string Id, string Platform);
