using System.Globalization;

namespace TenantAtlas.Web.Platform;

/// <summary>
/// Hangfire.PostgreSql keeps job ids as bigint and parses the id from a dashboard address without checking, so
/// <c>/admin/hangfire/jobs/details/abc</c> (or an id beyond bigint) threw inside the storage: a 500. Such an address names
/// no job — the host answers it 404 before the dashboard sees it.
/// </summary>
internal static class HangfireJobIds
{
    public const string DashboardPath = "/admin/hangfire";

    // The dashboard's routes that carry one job id as their last segment.
    private static readonly string[] JobRoutes = ["/jobs/details/", "/jobs/actions/requeue/", "/jobs/actions/delete/"];

    public static bool IsMalformed(HttpRequest request)
    {
        if (!request.Path.StartsWithSegments(DashboardPath, out var rest) || rest.Value is not { } route)
        {
            return false;
        }

        foreach (var prefix in JobRoutes)
        {
            if (route.StartsWith(prefix, StringComparison.Ordinal))
            {
                // The storage's own parse: an integer in the invariant culture (a sign and surrounding spaces allowed).
                return !long.TryParse(route.AsSpan(prefix.Length), NumberStyles.Integer, CultureInfo.InvariantCulture, out _);
            }
        }

        return false;
    }
}
