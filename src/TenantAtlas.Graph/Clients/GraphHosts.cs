namespace TenantAtlas.Graph.Clients;

/// <summary>Microsoft's own authority and Graph hosts (global and national clouds).</summary>
internal static class GraphHosts
{
    private static readonly string[] MicrosoftAuthorities =
    [
        "login.microsoftonline.com", "login.microsoftonline.us", "login.chinacloudapi.cn", "login.partner.microsoftonline.cn",
        "login.microsoftonline.de", "login.windows.net", "login.microsoft.com", "sts.windows.net",
    ];

    private static readonly string[] MicrosoftGraphHosts =
    [
        "graph.microsoft.com", "graph.microsoft.us", "dod-graph.microsoft.us", "microsoftgraph.chinacloudapi.cn", "graph.microsoft.de",
    ];

    private static readonly string[] MicrosoftSuffixes =
    [
        ".microsoft.com", ".microsoftonline.com", ".microsoftonline.us", ".microsoft.us", ".chinacloudapi.cn", ".microsoftonline.cn",
        ".microsoftonline.de", ".windows.net", ".azure.com",
    ];

    /// <summary>Instance discovery stays on for these (MSAL validates them with Microsoft); it is off only for other hosts (the emulator).</summary>
    public static bool IsMicrosoftAuthority(Uri authority) =>
        MicrosoftAuthorities.Contains(authority.Host, StringComparer.OrdinalIgnoreCase);

    /// <summary>A pinned certificate never overrides validation for Microsoft's hosts.</summary>
    public static bool IsMicrosoftHost(string host) =>
        MicrosoftSuffixes.Any(s => host.EndsWith(s, StringComparison.OrdinalIgnoreCase) || string.Equals(host, s[1..], StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// The token scope: a Microsoft Graph host's own <c>/.default</c> (national clouds), else Graph's global one (the
    /// emulator issues tokens for the audience https://graph.microsoft.com like Entra ID does).
    /// </summary>
    public static string Scope(Uri graphRoot) =>
        MicrosoftGraphHosts.Contains(graphRoot.Host, StringComparer.OrdinalIgnoreCase)
            ? $"https://{graphRoot.Host}/.default"
            : "https://graph.microsoft.com/.default";
}
