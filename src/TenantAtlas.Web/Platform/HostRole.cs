namespace TenantAtlas.Web.Platform;

/// <summary><c>--role web|worker|all</c>: web serves pages and APIs, worker runs Hangfire jobs, all (default) does both.</summary>
internal enum HostRole
{
    All,
    Web,
    Worker,
}

internal static class HostRoles
{
    public static HostRole Parse(string? value) => value?.Trim().ToLowerInvariant() switch
    {
        null or "" or "all" => HostRole.All,
        "web" => HostRole.Web,
        "worker" => HostRole.Worker,
        _ => throw new ArgumentException($"Unknown role '{value}': use web, worker or all."),
    };

    public static bool ServesWeb(this HostRole role) => role is HostRole.All or HostRole.Web;

    public static bool RunsJobs(this HostRole role) => role is HostRole.All or HostRole.Worker;
}
