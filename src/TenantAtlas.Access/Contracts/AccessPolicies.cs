namespace TenantAtlas.Access.Contracts;

public static class AccessPolicies
{
    /// <summary>The platform administrator flag (Hangfire dashboard, creating workspaces), read from the database per request.</summary>
    public const string PlatformAdmin = "platform-admin";
}
