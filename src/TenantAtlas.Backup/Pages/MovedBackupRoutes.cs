using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace TenantAtlas.Backup.Pages;

/// <summary>
/// The schedule and set pages lived under <c>/backup/…</c> until they joined every other page under <c>/admin/…</c>;
/// bookmarks and links pasted elsewhere still point there. Each old address answers a permanent redirect (308) to its new
/// one, same id and query. Unconditional, before any access check: the redirect says nothing about the id.
/// </summary>
internal static class MovedBackupRoutes
{
    private static readonly (string Old, string New)[] Moves =
    [
        ("/backup/schedules/{id:guid}", "/admin/backup-schedules/{0}"),
        ("/backup/schedules/{id:guid}/edit", "/admin/backup-schedules/{0}/edit"),
        ("/backup/sets/{id:guid}", "/admin/backup-sets/{0}"),
        ("/backup/sets/{id:guid}/download", "/admin/backup-sets/{0}/download"),
    ];

    public static IEndpointRouteBuilder MapMovedBackupRoutes(this IEndpointRouteBuilder endpoints)
    {
        foreach (var (old, target) in Moves)
        {
            endpoints.MapMethods(old, [HttpMethods.Get, HttpMethods.Head], (Guid id, HttpRequest request) =>
                TypedResults.Redirect(string.Format(System.Globalization.CultureInfo.InvariantCulture, target, id) + request.QueryString, permanent: true, preserveMethod: true));
        }

        return endpoints;
    }
}
