using System.Text.Json.Nodes;
using TenantAtlas.GraphEmulator.State;

namespace TenantAtlas.GraphEmulator.Graph;

/// <summary>
/// The groups delta state machine. The first call (the only one that takes query options) pages through
/// every group with $skiptoken nextLinks and ends with a deltaLink; a deltaLink call returns what changed
/// since (new or changed groups, removed ones as "@removed"), again paged, ending with a fresh deltaLink.
/// Tokens are opaque and signed; an expired or unknown one answers 410 Gone.
/// </summary>
internal static class GroupsDelta
{
    private const string DeltaPath = "/groups/delta";

    public static GraphResponse Handle(GraphCall call, FamilyDefinition family)
    {
        var tenant = call.Tenant;
        var query = call.Request.Query;
        if (query.TryGetValue("$deltatoken", out var deltaToken))
        {
            if (string.Equals(deltaToken, "latest", StringComparison.OrdinalIgnoreCase))
            {
                var select = SelectFrom(call, family);
                long version;
                lock (tenant.Sync)
                {
                    version = tenant.GroupChanges.CurrentVersion;
                }

                return Page(call, select, [], nextToken: null, deltaToken: DeltaToken(call, version, select));
            }

            var state = Read(call, deltaToken, expectDelta: true);
            return Changes(call, state.Select, state.Version, UpToNow(tenant), afterKey: null, state.PageSize);
        }

        if (query.TryGetValue("$skiptoken", out var skipToken))
        {
            var state = Read(call, skipToken, expectDelta: false);
            return state.Initial
                ? Initial(call, state.Select, state.To, state.Key, state.PageSize)
                : Changes(call, state.Select, state.Version, state.To, state.Key, state.PageSize);
        }

        var selected = SelectFrom(call, family);
        var top = ODataQuery.Parse(call.Request, family).Top ?? family.DefaultPageSize;
        if (top > family.MaxPageSize)
        {
            throw new GraphException(400, "Request_BadRequest",
                $"Invalid page size specified: '{top}'. Must be between 1 and {family.MaxPageSize} inclusive.", ErrorSource.Directory);
        }

        return Initial(call, selected, UpToNow(tenant), afterKey: null, top);
    }

    private static long UpToNow(TenantState tenant)
    {
        lock (tenant.Sync)
        {
            return tenant.GroupChanges.CurrentVersion;
        }
    }

    private static IReadOnlyList<string>? SelectFrom(GraphCall call, FamilyDefinition family) => ODataQuery.Parse(call.Request, family).Select;

    private static GraphResponse Initial(GraphCall call, IReadOnlyList<string>? select, long to, string? afterKey, int pageSize)
    {
        var tenant = call.Tenant;
        var items = new List<JsonObject>();
        string? lastKey = null;
        var more = false;
        lock (tenant.Sync)
        {
            foreach (var group in tenant.Collection(GraphFamilies.Groups).After(afterKey))
            {
                if (items.Count == pageSize)
                {
                    more = true;
                    break;
                }

                items.Add(Project(group.Data, select));
                lastKey = group.Id;
            }
        }

        return more && lastKey is not null
            ? Page(call, select, items, NextToken(call, initial: true, from: 0, to, lastKey, select, pageSize), deltaToken: null)
            : Page(call, select, items, nextToken: null, DeltaToken(call, to, select, pageSize));
    }

    private static GraphResponse Changes(GraphCall call, IReadOnlyList<string>? select, long from, long to, string? afterKey, int pageSize)
    {
        var tenant = call.Tenant;
        var items = new List<JsonObject>();
        string? lastKey = null;
        var more = false;
        lock (tenant.Sync)
        {
            var groups = tenant.Collection(GraphFamilies.Groups);
            foreach (var change in tenant.GroupChanges.LatestChangesBetween(from, to))
            {
                if (afterKey is not null && IdComparer.Instance.Compare(change.Id, afterKey) <= 0)
                {
                    continue;
                }

                JsonObject item;
                if (change.Kind == GroupChangeKind.Upserted)
                {
                    if (groups.Find(change.Id) is not { } group)
                    {
                        // Deleted after this window closed: the next round reports the removal.
                        continue;
                    }

                    item = Project(group.Data, select);
                }
                else
                {
                    item = new JsonObject
                    {
                        ["id"] = change.Id,
                        ["@removed"] = new JsonObject { ["reason"] = change.Kind == GroupChangeKind.SoftDeleted ? "changed" : "deleted" },
                    };
                }

                if (items.Count == pageSize)
                {
                    more = true;
                    break;
                }

                items.Add(item);
                lastKey = change.Id;
            }
        }

        return more && lastKey is not null
            ? Page(call, select, items, NextToken(call, initial: false, from, to, lastKey, select, pageSize), deltaToken: null)
            : Page(call, select, items, nextToken: null, DeltaToken(call, to, select, pageSize));
    }

    /// <summary>Selected properties, always with the id (delta answers always carry it).</summary>
    private static JsonObject Project(JsonObject group, IReadOnlyList<string>? select)
    {
        var result = new JsonObject();
        foreach (var (name, value) in group)
        {
            if (select is null || name == "id" || select.Contains(name, StringComparer.Ordinal))
            {
                result[name] = value?.DeepClone();
            }
        }

        return result;
    }

    private static GraphResponse Page(GraphCall call, IReadOnlyList<string>? select, List<JsonObject> items, string? nextToken, string? deltaToken)
    {
        var suffix = select is null ? "" : "(" + string.Join(',', select) + ")";
        var body = new JsonObject { ["@odata.context"] = $"{call.Metadata}#groups{suffix}" };
        if (nextToken is not null)
        {
            body["@odata.nextLink"] = $"{call.VersionRoot}{DeltaPath}?$skiptoken={nextToken}";
        }

        body["value"] = Projection.Json(items);
        if (deltaToken is not null)
        {
            body["@odata.deltaLink"] = $"{call.VersionRoot}{DeltaPath}?$deltatoken={deltaToken}";
        }

        return new GraphResponse(200, body);
    }

    private static JsonObject Common(GraphCall call, IReadOnlyList<string>? select)
    {
        lock (call.Tenant.Sync)
        {
            return new JsonObject
            {
                ["t"] = call.Tenant.TenantId,
                ["g"] = call.Tenant.Instance,
                ["e"] = call.Tenant.DeltaEpoch,
                ["i"] = call.Now.ToUnixTimeSeconds(),
                ["s"] = select is null ? null : string.Join(',', select),
            };
        }
    }

    private static string DeltaToken(GraphCall call, long version, IReadOnlyList<string>? select, int pageSize = 100)
    {
        var payload = Common(call, select);
        payload["d"] = true;
        payload["v"] = version;
        payload["n"] = pageSize;
        return call.State.Protector.Protect(payload);
    }

    private static string NextToken(GraphCall call, bool initial, long from, long to, string lastKey, IReadOnlyList<string>? select, int pageSize)
    {
        var payload = Common(call, select);
        payload["d"] = false;
        payload["p"] = initial ? "initial" : "changes";
        payload["v"] = from;
        payload["to"] = to;
        payload["k"] = lastKey;
        payload["n"] = pageSize;
        return call.State.Protector.Protect(payload);
    }

    private sealed record TokenState(bool Initial, long Version, long To, string? Key, IReadOnlyList<string>? Select, int PageSize);

    private static TokenState Read(GraphCall call, string token, bool expectDelta)
    {
        var payload = call.State.Protector.Unprotect(token);
        if (payload is null
            || payload["t"]?.GetValue<string>() != call.Tenant.TenantId
            || payload["d"]?.GetValue<bool>() != expectDelta)
        {
            throw Gone("syncStateNotFound", "The sync state for this request could not be found. The delta token is unknown or malformed: start a full synchronization without a token.");
        }

        var issued = DateTimeOffset.FromUnixTimeSeconds(payload["i"]?.GetValue<long>() ?? 0);
        int epoch;
        lock (call.Tenant.Sync)
        {
            epoch = call.Tenant.DeltaEpoch;
        }

        if (payload["g"]?.GetValue<string>() != call.Tenant.Instance
            || payload["e"]?.GetValue<int>() != epoch
            || call.Now - issued > call.State.Options.DeltaTokenLifetime)
        {
            throw Gone("resyncRequired", "Resync required. The delta token has expired: replace any local items with the server's version by starting a full synchronization without a token.");
        }

        var select = payload["s"]?.GetValue<string>()?.Split(',', StringSplitOptions.RemoveEmptyEntries);
        return new TokenState(
            payload["p"]?.GetValue<string>() == "initial",
            payload["v"]?.GetValue<long>() ?? 0,
            payload["to"]?.GetValue<long>() ?? 0,
            payload["k"]?.GetValue<string>(),
            select,
            payload["n"]?.GetValue<int>() ?? 100);
    }

    private static GraphException Gone(string code, string message) => new(410, code, message, ErrorSource.Directory);
}
