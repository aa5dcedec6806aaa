using System.Globalization;
using System.Text.Json.Nodes;
using TenantAtlas.GraphEmulator.Graph;
using TenantAtlas.GraphEmulator.Seeding;

namespace TenantAtlas.GraphEmulator.State;

/// <summary>
/// One emulated tenant: its app registration, granted permissions and data. Every member is thread-safe;
/// objects handed out are copies in Graph's JSON shape (navigation collections such as assignments and
/// settings included as properties).
/// </summary>
public sealed class TenantState
{
    private readonly TimeProvider time;
    private List<string> permissions;
    private readonly HashSet<string> approvalProtected;
    private int addedCount;

    internal TenantState(TenantSpec spec, TimeProvider time)
    {
        if (string.IsNullOrWhiteSpace(spec.TenantId) || string.IsNullOrWhiteSpace(spec.AppId) || string.IsNullOrEmpty(spec.AppSecret))
        {
            throw new ArgumentException("A tenant needs a tenant id, an app id and an app secret.", nameof(spec));
        }

        this.time = time;
        Spec = spec.Clone();
        TenantId = spec.TenantId.Trim();
        DisplayName = spec.DisplayName ?? $"Tenant {TenantId[..Math.Min(8, TenantId.Length)]}";
        Domain = spec.Domain ?? $"tenant{TenantId.Replace("-", "", StringComparison.Ordinal)[..Math.Min(8, TenantId.Length)]}.onmicrosoft.com";
        permissions = [.. spec.Permissions ?? GraphPermissions.Default];
        approvalProtected = new HashSet<string>(spec.ApprovalProtectedFamilies ?? [], StringComparer.OrdinalIgnoreCase);
        Collections = TenantSeeder.Seed(Spec, Domain, out var context);
        Context = context;
        Limits = new ServiceLimiter(spec.RequestLimit, spec.WriteLimit, TimeSpan.FromSeconds(Math.Max(1, spec.LimitWindowSeconds)));
        ConditionalAccessLimits = new ServiceLimiter(spec.ConditionalAccessLimitPerSecond, null, TimeSpan.FromSeconds(1));
    }

    /// <summary>The tenant's service limits (off unless the spec sets them).</summary>
    internal ServiceLimiter Limits { get; }

    /// <summary>Conditional Access's own limit (off unless the spec sets it).</summary>
    internal ServiceLimiter ConditionalAccessLimits { get; }

    public string TenantId { get; }

    public string DisplayName { get; }

    public string Domain { get; }

    public string AppId => Spec.AppId;

    /// <summary>A copy of the spec the tenant was built from.</summary>
    public TenantSpec Spec { get; }

    internal string AppSecret => Spec.AppSecret;

    internal Lock Sync { get; } = new();

    internal Dictionary<string, ResourceCollection> Collections { get; }

    internal GroupChangeLog GroupChanges { get; } = new();

    internal SeedContext Context { get; }

    /// <summary>Differs for every build of the tenant, so tokens issued before a reset are recognised as stale.</summary>
    internal string Instance { get; } = Guid.NewGuid().ToString("N")[..12];

    /// <summary>Bumped to invalidate every delta token issued so far.</summary>
    internal int DeltaEpoch { get; private set; }

    public IReadOnlyList<string> Permissions
    {
        get
        {
            lock (Sync)
            {
                return [.. permissions];
            }
        }
    }

    /// <summary>Replaces the app's granted permissions. Tokens already issued keep the roles they carry, as in Entra ID.</summary>
    public void SetPermissions(IEnumerable<string> granted)
    {
        lock (Sync)
        {
            permissions = [.. granted.Distinct(StringComparer.OrdinalIgnoreCase)];
        }
    }

    /// <summary>
    /// Puts a family under (or takes it out of) a Multi Admin Approval access policy: app-only writes to a protected
    /// family are refused with Intune's approval error; reads pass.
    /// </summary>
    public void RequireApproval(string family, bool required = true)
    {
        lock (Sync)
        {
            if (required)
            {
                approvalProtected.Add(family);
            }
            else
            {
                approvalProtected.Remove(family);
            }
        }
    }

    public bool RequiresApproval(string family)
    {
        lock (Sync)
        {
            return approvalProtected.Contains(family);
        }
    }

    /// <summary>
    /// The clear text of a device configuration's encrypted OMA-URI values by <c>secretReferenceValueId</c> (what
    /// <c>getOmaSettingPlainTextValue</c> answers). For tests: compare a backup with the seed.
    /// </summary>
    public IReadOnlyDictionary<string, string> PlainTextOmaValues(string id)
    {
        lock (Sync)
        {
            return Collection(GraphFamilies.DeviceConfigurations).Find(id) is { } resource
                ? new Dictionary<string, string>(resource.Secrets, StringComparer.OrdinalIgnoreCase)
                : throw new KeyNotFoundException($"Device configuration '{id}' does not exist.");
        }
    }

    public int Count(string family)
    {
        lock (Sync)
        {
            return Collection(family).Count;
        }
    }

    public IReadOnlyList<string> Ids(string family)
    {
        lock (Sync)
        {
            return Collection(family).All.Select(r => r.Id).ToList();
        }
    }

    /// <summary>All objects of a family in key order, with their navigation collections.</summary>
    public IReadOnlyList<JsonObject> List(string family)
    {
        lock (Sync)
        {
            return Collection(family).All.Select(Full).ToList();
        }
    }

    public JsonObject? Get(string family, string id)
    {
        lock (Sync)
        {
            return Collection(family).Find(id) is { } resource ? Full(resource) : null;
        }
    }

    public JsonObject AddGroup(string displayName, bool securityEnabled = true, bool mailEnabled = false, IEnumerable<string>? groupTypes = null)
    {
        var rng = new SeedRandom(Spec.Seed, "added-group-" + Interlocked.Increment(ref addedCount).ToString(CultureInfo.InvariantCulture));
        var data = DirectoryShapes.Group(rng, Guid.NewGuid().ToString(), displayName, Domain, time.GetUtcNow());
        data["securityEnabled"] = securityEnabled;
        data["mailEnabled"] = mailEnabled;
        data["groupTypes"] = Json.Strings(groupTypes ?? []);
        data["mail"] = mailEnabled ? $"{data["mailNickname"]}@{Domain}" : null;
        lock (Sync)
        {
            var resource = new StoredResource(data);
            Collection(GraphFamilies.Groups).Add(resource);
            GroupChanges.Record(resource.Id, GroupChangeKind.Upserted);
            return Full(resource);
        }
    }

    public void RenameGroup(string id, string displayName) =>
        Update(GraphFamilies.Groups, id, new JsonObject { ["displayName"] = displayName });

    /// <summary>Deletes a group: soft (recycle bin, delta says "changed") or permanent (delta says "deleted").</summary>
    public void DeleteGroup(string id, bool permanent = false)
    {
        lock (Sync)
        {
            if (!Collection(GraphFamilies.Groups).Remove(id))
            {
                throw new KeyNotFoundException($"Group '{id}' does not exist.");
            }

            GroupChanges.Record(id, permanent ? GroupChangeKind.HardDeleted : GroupChangeKind.SoftDeleted);
        }
    }

    /// <summary>Adds an object of an Intune family in the family's real shape, unassigned, named <paramref name="displayName"/>.</summary>
    public JsonObject AddPolicy(string family, string displayName, string? odataType = null)
    {
        if (family == GraphFamilies.Groups)
        {
            return AddGroup(displayName);
        }

        if (family == GraphFamilies.RoleScopeTags)
        {
            lock (Sync)
            {
                var collection = Collection(family);
                var tag = IntuneShapes.ScopeTag(collection.NextSequentialId(), 99);
                tag.Data["displayName"] = displayName;
                collection.Add(tag);
                return Full(tag);
            }
        }

        var rng = new SeedRandom(Spec.Seed, $"added-{family}-{Interlocked.Increment(ref addedCount)}");
        var generated = IntuneShapes.Create(family, rng, Context, Count(family) + 1, displayName, odataType);
        var resource = generated.WithId(Guid.NewGuid().ToString(), keepAssignments: false);
        if (resource.Data.ContainsKey("isAssigned"))
        {
            resource.Data["isAssigned"] = false;
        }

        var now = SeedRandom.IntuneTime(time.GetUtcNow());
        if (resource.Data.ContainsKey("createdDateTime"))
        {
            resource.Data["createdDateTime"] = now;
            resource.Data["lastModifiedDateTime"] = now;
        }

        lock (Sync)
        {
            Collection(family).Add(resource);
            return Full(resource);
        }
    }

    public void RenamePolicy(string family, string id, string displayName) =>
        Update(family, id, new JsonObject { [FamilyRegistry.Get(family).NameProperty] = displayName });

    public void DeletePolicy(string family, string id)
    {
        if (family == GraphFamilies.Groups)
        {
            DeleteGroup(id);
            return;
        }

        lock (Sync)
        {
            if (!Collection(family).Remove(id))
            {
                throw new KeyNotFoundException($"{family} object '{id}' does not exist.");
            }
        }
    }

    /// <summary>Merges <paramref name="patch"/> into an object's properties (a rename, a changed setting…) and stamps it modified.</summary>
    public void Update(string family, string id, JsonObject patch)
    {
        lock (Sync)
        {
            var resource = Collection(family).Find(id) ?? throw new KeyNotFoundException($"{family} object '{id}' does not exist.");
            foreach (var (name, value) in patch)
            {
                if (name != "id")
                {
                    resource.Data[name] = value?.DeepClone();
                }
            }

            Touch(family, resource);
        }
    }

    /// <summary>
    /// Changes an administrative template's definition values in place (a setting switched off, one removed…), as an admin
    /// in the portal would, and stamps the template modified.
    /// </summary>
    public void EditDefinitionValues(string id, Action<List<JsonObject>> edit)
    {
        ArgumentNullException.ThrowIfNull(edit);
        lock (Sync)
        {
            var resource = Collection(GraphFamilies.GroupPolicyConfigurations).Find(id)
                ?? throw new KeyNotFoundException($"{GraphFamilies.GroupPolicyConfigurations} object '{id}' does not exist.");
            edit(resource.DefinitionValues);
            Touch(GraphFamilies.GroupPolicyConfigurations, resource);
        }
    }

    /// <summary>Every groups delta token issued so far answers 410 Gone from now on.</summary>
    public void ExpireDeltaTokens()
    {
        lock (Sync)
        {
            DeltaEpoch++;
        }
    }

    internal ResourceCollection Collection(string family) =>
        Collections.TryGetValue(family, out var collection) ? collection : throw new ArgumentException($"Unknown family '{family}'.", nameof(family));

    /// <summary>Stamps a change: lastModifiedDateTime (and version) for Intune objects, a delta entry for groups. Caller holds the lock.</summary>
    internal void Touch(string family, StoredResource resource)
    {
        var definition = FamilyRegistry.Get(family);
        var now = time.GetUtcNow();
        if (definition.IsDirectory)
        {
            GroupChanges.Record(resource.Id, GroupChangeKind.Upserted);
            return;
        }

        if (resource.Data.ContainsKey("lastModifiedDateTime"))
        {
            resource.Data["lastModifiedDateTime"] = SeedRandom.IntuneTime(now);
        }

        if (definition.IsConditionalAccess && resource.Data.ContainsKey("modifiedDateTime"))
        {
            resource.Data["modifiedDateTime"] = SeedRandom.DirectoryTime(now);
        }

        if (definition.HasVersion)
        {
            resource.Data["version"] = resource.Data["version"] switch
            {
                JsonValue v when v.TryGetValue<int>(out var number) => number + 1,
                JsonValue v when definition.TextVersion && v.TryGetValue<string>(out var text) && int.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out var number) => (number + 1).ToString(System.Globalization.CultureInfo.InvariantCulture),
                _ => $"\"{Guid.NewGuid().ToString()[..8]}\"",
            };
        }
    }

    private static JsonObject Full(StoredResource resource)
    {
        var json = (JsonObject)resource.Data.DeepClone();
        if (resource.Assignments.Count > 0)
        {
            json["assignments"] = Json.Array(resource.Assignments.Select(a => a.DeepClone()));
        }

        if (resource.Settings.Count > 0)
        {
            json["settings"] = Json.Array(resource.Settings.Select(s => s.DeepClone()));
        }

        if (resource.DefinitionValues.Count > 0)
        {
            json["definitionValues"] = Json.Array(resource.DefinitionValues.Select(d => d.DeepClone()));
        }

        if (resource.Apps.Count > 0)
        {
            json["apps"] = Json.Array(resource.Apps.Select(a => a.DeepClone()));
        }

        if (resource.DriverInventories.Count > 0)
        {
            json["driverInventories"] = Json.Array(resource.DriverInventories.Select(d => d.DeepClone()));
        }

        if (resource.ScheduledActionsForRule.Count > 0)
        {
            json["scheduledActionsForRule"] = Json.Array(resource.ScheduledActionsForRule.Select(s => s.DeepClone()));
        }

        foreach (var (navigation, children) in resource.Children.Where(c => c.Value.Count > 0))
        {
            json[navigation] = Json.Array(children.Select(c => c.DeepClone()));
        }

        return json;
    }
}
