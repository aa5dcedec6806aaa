using System.Text.Json.Nodes;

namespace TenantAtlas.GraphEmulator.Graph;

internal static class Paging
{
    /// <summary>
    /// The absolute link to the next page: same path and query options as the call, with the opaque
    /// <paramref name="tokenName"/> replaced — on the host the client called.
    /// </summary>
    public static string Link(GraphCall call, string tokenName, string token, bool keepQuery = true)
    {
        var pairs = keepQuery
            ? call.Request.QueryPairs.Where(p => !IsToken(p.Key)).ToList()
            : [];
        pairs.Add(new KeyValuePair<string, string>(tokenName, token));
        return $"{call.VersionRoot}{call.Request.Path}?{Encode(pairs)}";
    }

    public static string Encode(IEnumerable<KeyValuePair<string, string>> pairs) =>
        string.Join('&', pairs.Select(p => EscapeName(p.Key) + "=" + Uri.EscapeDataString(p.Value)));

    private static string EscapeName(string name) =>
        name.StartsWith('$') ? "$" + Uri.EscapeDataString(name[1..]) : Uri.EscapeDataString(name);

    private static bool IsToken(string name) =>
        name.Equals("$skiptoken", StringComparison.OrdinalIgnoreCase) || name.Equals("$deltatoken", StringComparison.OrdinalIgnoreCase);

    /// <summary>The key a list page continues after, from a $skiptoken this emulator issued for this tenant and collection.</summary>
    public static string? ReadSkipToken(GraphCall call, ODataQuery query, string collection, ErrorSource source)
    {
        if (query.SkipToken is null)
        {
            return null;
        }

        var payload = call.State.Protector.Unprotect(query.SkipToken);
        if (payload is null
            || payload["t"]?.GetValue<string>() != call.Tenant.TenantId
            || payload["c"]?.GetValue<string>() != collection
            || payload["k"]?.GetValue<string>() is not { } key)
        {
            throw GraphException.BadRequest("The specified $skiptoken value is invalid or has expired.", source);
        }

        return key;
    }

    /// <summary>The page size of expanded collections and their navigation reads (the tenant's <see cref="TenantSpec.ExpandedPageSize"/>).</summary>
    public static int ExpandedPageSize(GraphCall call) => Math.Max(1, call.Tenant.Spec.ExpandedPageSize);

    /// <summary>What a navigation's $skiptoken is bound to: one object's collection ("configurationPolicies/{id}/settings").</summary>
    public static string NavigationKey(FamilyDefinition family, string id, string navigation) => $"{family.Name}/{id}/{navigation}";

    public static string SkipToken(GraphCall call, string collection, string lastKey) =>
        call.State.Protector.Protect(new JsonObject { ["t"] = call.Tenant.TenantId, ["c"] = collection, ["k"] = lastKey });
}
