using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using TenantAtlas.Access.Contracts;

namespace TenantAtlas.Backup.Sets;

/// <summary>
/// <c>GET /admin/backup-sets/{id}/download</c>: the whole set as one JSON file. Signed-in users only (anonymous → sign-in);
/// the same answers as the set page: unknown, malformed or another workspace's id → 404, no <c>tenant.backups.run</c> → 403.
/// </summary>
internal static class BackupSetDownload
{
    public const string Route = "/admin/backup-sets/{id}/download";

    public static string PathOf(Guid setId) => $"/admin/backup-sets/{setId}/download";

    public static IEndpointRouteBuilder MapBackupSetDownload(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet(Route, DownloadAsync).RequireAuthorization();
        return endpoints;
    }

    private static async Task<IResult> DownloadAsync(string id, HttpContext http, BackupSetQueries sets)
    {
        if (http.User.GetUserId() is not { } userId)
        {
            return Results.Unauthorized();
        }

        if (!Guid.TryParse(id, out var setId))
        {
            return Results.NotFound();
        }

        var (decision, _) = await sets.ExportAsync(userId, setId, set =>
        {
            http.Response.ContentType = "application/json; charset=utf-8";
            http.Response.Headers.ContentDisposition = $"attachment; filename=\"backup-set-{set.CreatedAt.ToUniversalTime():yyyyMMdd-HHmmss}-{set.Id:N}.json\"";
            http.Response.Headers.CacheControl = "no-store";
            return http.Response.Body;
        }, http.RequestAborted);
        return decision switch
        {
            AccessDecision.Allowed => Results.Empty,
            AccessDecision.Forbidden => Results.StatusCode(StatusCodes.Status403Forbidden),
            _ => Results.NotFound(),
        };
    }
}
