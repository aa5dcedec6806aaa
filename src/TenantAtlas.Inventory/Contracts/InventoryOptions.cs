namespace TenantAtlas.Inventory.Contracts;

/// <summary>Configuration section <c>Inventory</c>.</summary>
public sealed class InventoryOptions
{
    public const string Section = "Inventory";

    /// <summary>Listed policies written per upsert statement (Graph pages are 25–100 items; several are batched together).</summary>
    public int BatchSize { get; set; } = 500;

    /// <summary>The inventory page warns when the last completed sync is older than this.</summary>
    public TimeSpan StaleAfter { get; set; } = TimeSpan.FromDays(1);
}
