using TenantAtlas.GraphEmulator.Identity;
using TenantAtlas.GraphEmulator.State;

namespace TenantAtlas.GraphEmulator.Graph;

/// <summary>One authenticated Graph call being answered.</summary>
internal sealed class GraphCall
{
    public required GraphRequest Request { get; init; }

    public required EmulatorState State { get; init; }

    public required TenantState Tenant { get; init; }

    public required AccessTokenPrincipal Principal { get; init; }

    public required string RequestId { get; init; }

    public required DateTimeOffset Now { get; init; }

    /// <summary>"http://127.0.0.1:5090/beta/$metadata" — the prefix of every @odata.context.</summary>
    public string Metadata => $"{Request.BaseUrl}/{Request.Version}/$metadata";

    public string VersionRoot => $"{Request.BaseUrl}/{Request.Version}";
}
