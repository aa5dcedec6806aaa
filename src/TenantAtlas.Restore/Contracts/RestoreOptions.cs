namespace TenantAtlas.Restore.Contracts;

/// <summary>Settings of the Restore module (section <c>Restore</c>).</summary>
public sealed class RestoreOptions
{
    public const string Section = "Restore";

    /// <summary>A plan older than this must be planned again before it is executed (default 1 h).</summary>
    public TimeSpan PlanMaxAge { get; set; } = TimeSpan.FromHours(1);
}
