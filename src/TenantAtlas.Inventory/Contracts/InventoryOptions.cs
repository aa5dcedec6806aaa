namespace TenantAtlas.Inventory.Contracts;

/// <summary>Configuration section <c>Inventory</c>.</summary>
public sealed class InventoryOptions
{
    public const string Section = "Inventory";

    /// <summary>Listed policies written per upsert statement (Graph pages are 25–100 items; several are batched together).</summary>
    public int BatchSize { get; set; } = 500;

    /// <summary>
    /// Policy families listed at the same time by one sync (each lister has at most one Graph request in flight; the
    /// gateway bounds a tenant's requests again with <c>Graph:MaxConcurrentRequestsPerTenant</c>).
    /// </summary>
    public int ParallelFamilies { get; set; } = 3;

    /// <summary>Listed pages waiting for the writer; when full, the listers wait (memory stays bounded).</summary>
    public int PagesInFlight { get; set; } = 4;
}
