using TenantAtlas.GraphEmulator.Graph;
using TenantAtlas.GraphEmulator.State;

namespace TenantAtlas.GraphEmulator.Control;

/// <summary>A tenant as the control API shows it (the secret is never shown).</summary>
public sealed record TenantSummary(
    string TenantId,
    string DisplayName,
    string Domain,
    string AppId,
    IReadOnlyList<string> Permissions,
    int Seed,
    IReadOnlyDictionary<string, int> Counts)
{
    public static TenantSummary From(TenantState tenant) => new(
        tenant.TenantId,
        tenant.DisplayName,
        tenant.Domain,
        tenant.AppId,
        tenant.Permissions,
        tenant.Spec.Seed,
        FamilyRegistry.Families.ToDictionary(f => f.Name, f => tenant.Count(f.Name), StringComparer.Ordinal));
}

public sealed record PermissionsRequest(List<string> Permissions);

public sealed record GroupRequest(string DisplayName, bool SecurityEnabled = true, bool MailEnabled = false, List<string>? GroupTypes = null);

public sealed record PolicyRequest(string DisplayName, string? OdataType = null);

public sealed record EmulatorInfo(
    IReadOnlyList<string> Addresses,
    string? CertificateThumbprint,
    IReadOnlyList<TenantSummary> Tenants,
    int Faults,
    int LoggedRequests);
