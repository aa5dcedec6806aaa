using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using TenantAtlas.GraphEmulator.Graph;
using TenantAtlas.GraphEmulator.Hosting;
using TenantAtlas.GraphEmulator.State;

namespace TenantAtlas.GraphEmulator.Control;

/// <summary>
/// The control API under /_emulator for tests and demos: tenants, permissions, data mutations, delta
/// expiry, faults, the request log and a full reset. Unauthenticated by design: never expose the emulator.
/// </summary>
internal static class ControlEndpoints
{
    public static void MapControl(this IEndpointRouteBuilder app)
    {
        var control = app.MapGroup("/_emulator");

        control.MapGet("/", (EmulatorState state, IServer server, EmulatorCertificate certificate) => new EmulatorInfo(
            server.Features.Get<IServerAddressesFeature>()?.Addresses.ToList() ?? [],
            certificate.Certificate is null ? null : LoopbackCertificate.Thumbprint(certificate.Certificate),
            state.Tenants.Select(TenantSummary.From).ToList(),
            state.FaultRules.Count,
            state.Log.Snapshot().Count));

        control.MapGet("/certificate", (EmulatorCertificate certificate) =>
            certificate.Certificate is null
                ? Results.NotFound(new { error = "The emulator serves no https endpoint." })
                : Results.Text(certificate.Certificate.ExportCertificatePem(), "application/x-pem-file", Encoding.ASCII));

        control.MapPost("/reset", (EmulatorState state) =>
        {
            state.Reset();
            return Results.NoContent();
        });

        var tenants = control.MapGroup("/tenants");
        tenants.MapGet("/", (EmulatorState state) => state.Tenants.Select(TenantSummary.From).ToList());
        tenants.MapPost("/", (EmulatorState state, TenantSpec spec) => Guard(() =>
        {
            var tenant = state.CreateTenant(spec);
            return Results.Created($"/_emulator/tenants/{tenant.TenantId}", TenantSummary.From(tenant));
        }));
        tenants.MapGet("/{tenantId}", (EmulatorState state, string tenantId) => Guard(() => Results.Ok(TenantSummary.From(state.GetTenant(tenantId)))));
        tenants.MapDelete("/{tenantId}", (EmulatorState state, string tenantId) =>
            state.RemoveTenant(tenantId) ? Results.NoContent() : NotFound($"Tenant '{tenantId}' does not exist."));
        tenants.MapPost("/{tenantId}/reset", (EmulatorState state, string tenantId) => Guard(() => Results.Ok(TenantSummary.From(state.ResetTenant(tenantId)))));
        tenants.MapPut("/{tenantId}/permissions", (EmulatorState state, string tenantId, PermissionsRequest request) => Guard(() =>
        {
            var tenant = state.GetTenant(tenantId);
            tenant.SetPermissions(request.Permissions);
            return Results.Ok(TenantSummary.From(tenant));
        }));
        tenants.MapPost("/{tenantId}/delta/expire", (EmulatorState state, string tenantId) => Guard(() =>
        {
            state.ExpireDeltaTokens(tenantId);
            return Results.NoContent();
        }));

        // Data: read any family, add/rename/delete groups and policies (changes to groups show up in delta).
        tenants.MapGet("/{tenantId}/data/{family}", (EmulatorState state, string tenantId, string family) =>
            Guard(() => Results.Ok(state.GetTenant(tenantId).List(Family(family)))));
        tenants.MapGet("/{tenantId}/data/{family}/{id}", (EmulatorState state, string tenantId, string family, string id) =>
            Guard(() => state.GetTenant(tenantId).Get(Family(family), id) is { } item ? Results.Ok(item) : NotFound($"{family} object '{id}' does not exist.")));
        tenants.MapPost("/{tenantId}/data/groups", (EmulatorState state, string tenantId, GroupRequest request) => Guard(() =>
        {
            var group = state.GetTenant(tenantId).AddGroup(request.DisplayName, request.SecurityEnabled, request.MailEnabled, request.GroupTypes);
            return Results.Created($"/_emulator/tenants/{tenantId}/data/groups/{group["id"]}", group);
        }));
        tenants.MapPost("/{tenantId}/data/{family}", (EmulatorState state, string tenantId, string family, PolicyRequest request) => Guard(() =>
        {
            var item = state.GetTenant(tenantId).AddPolicy(Family(family), request.DisplayName, request.OdataType);
            return Results.Created($"/_emulator/tenants/{tenantId}/data/{family}/{item["id"]}", item);
        }));
        tenants.MapPatch("/{tenantId}/data/{family}/{id}", (EmulatorState state, string tenantId, string family, string id, JsonObject patch) => Guard(() =>
        {
            var tenant = state.GetTenant(tenantId);
            tenant.Update(Family(family), id, patch);
            return Results.Ok(tenant.Get(Family(family), id));
        }));
        tenants.MapDelete("/{tenantId}/data/{family}/{id}", (EmulatorState state, string tenantId, string family, string id, bool? permanent) => Guard(() =>
        {
            var tenant = state.GetTenant(tenantId);
            if (Family(family) == GraphFamilies.Groups)
            {
                tenant.DeleteGroup(id, permanent ?? false);
            }
            else
            {
                tenant.DeletePolicy(Family(family), id);
            }

            return Results.NoContent();
        }));

        var faults = control.MapGroup("/faults");
        faults.MapGet("/", (EmulatorState state) => state.FaultRules);
        faults.MapPost("/", (EmulatorState state, FaultSpec spec) => Guard(() =>
        {
            var rule = state.AddFault(spec);
            return Results.Created($"/_emulator/faults/{rule.Id}", rule);
        }));
        faults.MapDelete("/", (EmulatorState state, string? tenantId) =>
        {
            state.ClearFaults(tenantId);
            return Results.NoContent();
        });
        faults.MapDelete("/{id}", (EmulatorState state, string id) =>
            state.RemoveFault(id) ? Results.NoContent() : NotFound($"Fault '{id}' does not exist."));

        var requests = control.MapGroup("/requests");
        requests.MapGet("/", (EmulatorState state, string? tenantId, long? after, string? kind) =>
            state.RequestLog(tenantId, after ?? 0).Where(e => kind is null || string.Equals(e.Kind, kind, StringComparison.OrdinalIgnoreCase)).ToList());
        // service=intune|conditionalAccess: only the calls that count against that service's own per-tenant limit.
        requests.MapGet("/rate", (EmulatorState state, string? tenantId, int? windowMs, long? after, string? service) =>
            windowMs is <= 0 or > 3_600_000
                ? Results.BadRequest(new { error = "windowMs must be between 1 and 3600000." })
                : service is not (null or "intune" or "conditionalAccess")
                    ? Results.BadRequest(new { error = "service must be intune or conditionalAccess." })
                    : Results.Ok(state.RequestRate(tenantId, TimeSpan.FromMilliseconds(windowMs ?? 1000), after ?? 0, service)));
        requests.MapDelete("/", (EmulatorState state) =>
        {
            state.ClearRequestLog();
            return Results.NoContent();
        });
    }

    private static string Family(string name) =>
        FamilyRegistry.Families.FirstOrDefault(f => f.Name.Equals(name, StringComparison.OrdinalIgnoreCase))?.Name
        ?? throw new ArgumentException($"Unknown family '{name}'. Known: {string.Join(", ", FamilyRegistry.Families.Select(f => f.Name))}.");

    private static IResult Guard(Func<IResult> action)
    {
        try
        {
            return action();
        }
        catch (KeyNotFoundException e)
        {
            return NotFound(e.Message);
        }
        catch (ArgumentException e)
        {
            return Results.BadRequest(new { error = e.Message });
        }
    }

    private static IResult NotFound(string message) => Results.NotFound(new { error = message });
}
