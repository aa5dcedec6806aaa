using System.Globalization;
using System.Text.Json.Nodes;
using TenantAtlas.GraphEmulator.Seeding;
using TenantAtlas.GraphEmulator.Shapes;
using TenantAtlas.GraphEmulator.State;

namespace TenantAtlas.GraphEmulator.Graph;

/// <summary>List, read, create, update and delete on a family's collection.</summary>
internal static class CollectionHandlers
{
    /// <summary>
    /// Read-only properties: a write may carry them (Microsoft's own example bodies send version and
    /// supportsScopeTags) and Graph ignores them; the service sets them. These are the properties GRAPH.md tells the
    /// product to strip before a POST, so a restore never relies on this leniency.
    /// </summary>
    private static readonly HashSet<string> ServerManaged = new(StringComparer.Ordinal)
    {
        "id", "createdDateTime", "lastModifiedDateTime", "modifiedDateTime", "version", "renewedDateTime", "deletedDateTime",
        "securityIdentifier", "supportsScopeTags", "settingCount", "creationSource", "isAssigned", "isBuiltIn",
        "isBuiltInRoleDefinition", "deployedAppCount",
    };

    /// <summary>The tenant's default enrollment configuration of a kind (priority 0): Intune lets it be updated only.</summary>
    public static bool IsDefaultEnrollmentConfiguration(FamilyDefinition family, string id) =>
        family.Name == GraphFamilies.DeviceEnrollmentConfigurations && id.Contains("_Default", StringComparison.Ordinal);

    public static ErrorSource SourceOf(FamilyDefinition family) =>
        family.IsDirectory ? ErrorSource.Directory : family.IsConditionalAccess ? ErrorSource.Graph : ErrorSource.Intune;

    private static readonly string[] ConditionalAccessStates = ["enabled", "disabled", "enabledForReportingButNotEnforced"];

    public static GraphResponse List(GraphCall call, FamilyDefinition family)
    {
        var query = ODataQuery.Parse(call.Request, family);
        Projection.ValidateExpand(family, query);
        var source = SourceOf(family);
        if (family.IsDirectory && query.Count && !string.Equals(call.Request.Header("ConsistencyLevel"), "eventual", StringComparison.OrdinalIgnoreCase))
        {
            // Directory objects only count with advanced queries (ConsistencyLevel: eventual).
            throw new GraphException(400, "Request_BadRequest", "$count is not currently supported.", ErrorSource.Directory);
        }

        int pageSize;
        if (query.Top is { } top && top > family.MaxPageSize)
        {
            if (family.IsDirectory)
            {
                throw new GraphException(400, "Request_BadRequest",
                    $"Invalid page size specified: '{top}'. Must be between 1 and {family.MaxPageSize} inclusive.", ErrorSource.Directory);
            }

            pageSize = family.MaxPageSize;
        }
        else
        {
            pageSize = query.Top ?? family.DefaultPageSize;
        }

        var afterKey = Paging.ReadSkipToken(call, query, family.Name, source);
        var tenant = call.Tenant;
        List<JsonObject> page;
        string? lastKey = null;
        var more = false;
        int? count = null;
        lock (tenant.Sync)
        {
            var collection = tenant.Collection(family.Name);
            page = new List<JsonObject>(Math.Min(pageSize, 1000));
            foreach (var resource in collection.After(afterKey))
            {
                if (!query.Filter(resource.Data))
                {
                    continue;
                }

                if (page.Count == pageSize)
                {
                    more = true;
                    break;
                }

                page.Add(Projection.Project(resource, family, query, inList: true, call));
                lastKey = resource.Id;
            }

            if (query.Count && afterKey is null)
            {
                count = query.HasFilter ? collection.All.Count(r => query.Filter(r.Data)) : collection.Count;
            }
        }

        var body = new JsonObject { ["@odata.context"] = $"{call.Metadata}#{family.CollectionPath}{Projection.ContextSuffix(query)}" };
        if (count is not null)
        {
            body["@odata.count"] = count;
        }

        if (more && lastKey is not null)
        {
            body["@odata.nextLink"] = Paging.Link(call, "$skiptoken", Paging.SkipToken(call, family.Name, lastKey));
        }

        body["value"] = Projection.Json(page);
        return new GraphResponse(200, body);
    }

    public static GraphResponse Get(GraphCall call, FamilyDefinition family, string id)
    {
        var query = ODataQuery.Parse(call.Request, family);
        Projection.ValidateExpand(family, query);
        lock (call.Tenant.Sync)
        {
            var resource = call.Tenant.Collection(family.Name).Find(id) ?? throw GraphException.NotFound(family, id);
            var json = Projection.Project(resource, family, query, inList: false, call);
            json.Insert(0, "@odata.context", $"{call.Metadata}#{family.CollectionPath}{Projection.ContextSuffix(query)}/$entity");
            return new GraphResponse(200, json);
        }
    }

    public static GraphResponse Create(GraphCall call, FamilyDefinition family)
    {
        var source = SourceOf(family);
        var body = RequireObject(call, source);
        RejectAnnotations(body, source);
        var type = body["@odata.type"]?.GetValue<string>();
        if (type is not null && !type.StartsWith("#microsoft.graph.", StringComparison.Ordinal))
        {
            throw GraphException.BadRequest($"A type named '{type.TrimStart('#')}' could not be resolved by the model.", source);
        }

        if (family.Polymorphic && type is null && family.Name != GraphFamilies.RoleDefinitions)
        {
            throw GraphException.BadRequest("Cannot create an abstract class.", source);
        }

        RejectApps(family, body, source);
        var concreteType = ResolveType(family, type, source);
        var schema = SchemaOf(family, concreteType);
        Validate(family, body, schema, source);

        foreach (var required in schema?.Required ?? new HashSet<string>(StringComparer.Ordinal) { family.NameProperty })
        {
            if (body[required] is not JsonValue value || value.GetValueKind() != System.Text.Json.JsonValueKind.String || string.IsNullOrWhiteSpace(value.GetValue<string>()))
            {
                throw family.IsDirectory
                    ? new GraphException(400, "Request_BadRequest", $"Invalid value specified for property '{required}' of resource 'Group'.", source)
                    : GraphException.BadRequest($"The property '{required}' is required.", source);
            }
        }

        if (family.Name == GraphFamilies.DeviceCompliancePolicies && body["scheduledActionsForRule"] is not JsonArray { Count: > 0 })
        {
            throw GraphException.BadRequest("A compliance policy must be created with scheduledActionsForRule.", source);
        }

        // An update profile names what it deploys: Intune refuses one without its release or approval type.
        var updateProfileRequires = family.Name switch
        {
            GraphFamilies.WindowsFeatureUpdateProfiles => "featureUpdateVersion",
            GraphFamilies.WindowsQualityUpdateProfiles => "expeditedUpdateSettings",
            GraphFamilies.WindowsDriverUpdateProfiles => "approvalType",
            _ => null,
        };
        if (updateProfileRequires is not null && body[updateProfileRequires] is null)
        {
            throw GraphException.BadRequest($"The property '{updateProfileRequires}' is required.", source);
        }

        if (family.Name == GraphFamilies.ConditionalAccessPolicies)
        {
            ValidateConditionalAccessPolicy(body, source, create: true);
        }

        if (family.Name == GraphFamilies.NamedLocations)
        {
            ValidateNamedLocation(body, concreteType, source, create: true);
        }

        if (family.Name == GraphFamilies.DeviceManagementScripts && body["scriptContent"] is JsonValue content
            && !IsBase64(content.GetValue<string>()))
        {
            throw GraphException.BadRequest("The property 'scriptContent' must be base64.", source);
        }

        var tenant = call.Tenant;
        lock (tenant.Sync)
        {
            var collection = tenant.Collection(family.Name);
            var id = family.IdStyle == IdStyle.Sequential ? collection.NextSequentialId() : Guid.NewGuid().ToString();
            var data = family.IsDirectory ? NewGroup(call, body, id) : NewIntuneObject(call, family, body, id, concreteType, schema);
            if (family.Name == GraphFamilies.DeviceEnrollmentConfigurations)
            {
                // Intune puts a new configuration last among those of its kind; only setPriority changes the order.
                data["priority"] = 1 + collection.All.Where(r => r.Data["@odata.type"]?.GetValue<string>() == data["@odata.type"]?.GetValue<string>())
                    .Select(r => r.Data["priority"]?.GetValue<int>() ?? 0).DefaultIfEmpty(0).Max();
            }

            var resource = new StoredResource(data);
            if (family.Name == GraphFamilies.Intents)
            {
                EndpointSecurityHandlers.FromTemplate(tenant, resource);
            }

            AddNavigationsFromBody(family, body, resource);
            if (family.Name == GraphFamilies.WindowsDriverUpdateProfiles)
            {
                // Intune's inventory sync finds the drivers Windows Update offers for the tenant's devices; none approved yet.
                resource.DriverInventories.AddRange(IntuneShapes.TenantDrivers(tenant.Spec.Seed));
            }

            collection.Add(resource);
            if (family.IsDirectory)
            {
                tenant.GroupChanges.Record(id, GroupChangeKind.Upserted);
            }

            var json = Projection.Project(resource, family, ODataQueryEmpty(call, family), inList: false, call);
            json.Insert(0, "@odata.context", $"{call.Metadata}#{family.CollectionPath}/$entity");
            var response = new GraphResponse(201, json);
            response.Headers["Location"] = $"{call.VersionRoot}/{family.CollectionPath}('{id}')";
            return response;
        }
    }

    public static GraphResponse Update(GraphCall call, FamilyDefinition family, string id)
    {
        var source = SourceOf(family);
        var body = RequireObject(call, source);
        RejectAnnotations(body, source);
        var tenant = call.Tenant;
        lock (tenant.Sync)
        {
            var resource = tenant.Collection(family.Name).Find(id) ?? throw GraphException.NotFound(family, id);
            var storedType = resource.Data["@odata.type"]?.GetValue<string>();
            var sentType = body["@odata.type"]?.GetValue<string>();
            if (sentType is not null && storedType is not null && !string.Equals(sentType, storedType, StringComparison.Ordinal))
            {
                throw GraphException.BadRequest($"The type of an existing object cannot change from '{storedType}' to '{sentType}'.", source);
            }

            if (family.Name == GraphFamilies.NamedLocations && sentType is null)
            {
                // Microsoft's reference: an update of a named location names its @odata.type.
                throw GraphException.BadRequest("The @odata.type of the named location (ipNamedLocation or countryNamedLocation) is required.", source);
            }

            var schema = SchemaOf(family, storedType is null ? family.KnownTypes[0] : GraphSchema.TypeName(storedType));
            RejectApps(family, body, source);
            Validate(family, body, schema, source);
            if (family.Name == GraphFamilies.ConditionalAccessPolicies)
            {
                ValidateConditionalAccessPolicy(body, source, create: false);
            }

            if (family.Name == GraphFamilies.NamedLocations)
            {
                ValidateNamedLocation(body, GraphSchema.TypeName(storedType ?? sentType!), source, create: false);
            }
            foreach (var (name, _) in body)
            {
                var known = family.BaseProperties.Contains(name) || name == "@odata.type" || (sentType is not null && family.Polymorphic);
                if (!known)
                {
                    // Derived properties need the @odata.type in the body, as in real Graph.
                    throw GraphException.BadRequest(
                        $"The property '{name}' does not exist on type '{family.EntityType}'. Make sure to only use property names that are defined by the type or mark the type as open type.",
                        source);
                }
            }

            foreach (var (name, value) in body)
            {
                if (!IsReadOnly(schema, name) && name != "@odata.type")
                {
                    resource.Data[name] = value?.DeepClone();
                }
            }

            IntuneShapes.DeriveUpdateRelease(family.Name, resource.Data);
            tenant.Touch(family.Name, resource);
            return GraphResponse.NoContent();
        }
    }

    /// <summary>Settings catalog: PUT replaces name, description, platforms, technologies, template reference and the settings.</summary>
    public static GraphResponse Replace(GraphCall call, FamilyDefinition family, string id)
    {
        var source = SourceOf(family);
        if (!family.UpdateWithPut)
        {
            throw GraphException.MethodNotAllowed("PUT", call.Request.PathAndQuery, source);
        }

        var body = RequireObject(call, source);
        RejectAnnotations(body, source);
        foreach (var required in new[] { "name", "platforms", "technologies", "settings" })
        {
            if (body[required] is null)
            {
                throw GraphException.BadRequest($"The property '{required}' is required.", source);
            }
        }

        if (body["settings"] is not JsonArray settings)
        {
            throw GraphException.BadRequest("The property 'settings' must be a collection.", source);
        }

        Validate(family, body, SchemaOf(family, family.EntityType), source);

        var tenant = call.Tenant;
        lock (tenant.Sync)
        {
            var resource = tenant.Collection(family.Name).Find(id) ?? throw GraphException.NotFound(family, id);
            foreach (var name in new[] { "name", "description", "platforms", "technologies", "templateReference", "roleScopeTagIds" })
            {
                if (body.ContainsKey(name))
                {
                    resource.Data[name] = body[name]?.DeepClone();
                }
            }

            resource.Settings.Clear();
            resource.Settings.AddRange(NumberSettings(settings));
            resource.Data["settingCount"] = resource.Settings.Count;
            tenant.Touch(family.Name, resource);
            return GraphResponse.NoContent();
        }
    }

    public static GraphResponse Delete(GraphCall call, FamilyDefinition family, string id)
    {
        var tenant = call.Tenant;
        lock (tenant.Sync)
        {
            if (IsDefaultEnrollmentConfiguration(family, id) && tenant.Get(family.Name, id) is not null)
            {
                throw GraphException.BadRequest("The default enrollment configuration cannot be deleted.", ErrorSource.Intune);
            }

            if (tenant.Collection(family.Name).Find(id) is { } existing && NavigationHandlers.IsDefaultObject(family, existing))
            {
                throw GraphException.BadRequest("The default branding profile cannot be deleted.", ErrorSource.Intune);
            }

            if (!tenant.Collection(family.Name).Remove(id))
            {
                throw GraphException.NotFound(family, id);
            }

            if (family.IsDirectory)
            {
                tenant.GroupChanges.Record(id, GroupChangeKind.SoftDeleted);
            }

            return GraphResponse.NoContent();
        }
    }

    /// <summary>
    /// A Conditional Access policy Entra accepts: a known state; on create the conditions name applications and users,
    /// and grant or session controls say what the policy does.
    /// </summary>
    private static void ValidateConditionalAccessPolicy(JsonObject body, ErrorSource source, bool create)
    {
        if (body.ContainsKey("state") || create)
        {
            var state = body["state"] is JsonValue v && v.TryGetValue<string>(out var text) ? text : null;
            if (state is null || !ConditionalAccessStates.Contains(state, StringComparer.Ordinal))
            {
                throw GraphException.BadRequest(
                    $"The property 'state' must be one of {string.Join(", ", ConditionalAccessStates)}.", source);
            }
        }

        if (!create && !body.ContainsKey("conditions"))
        {
            return;
        }

        if (body["conditions"] is not JsonObject conditions || conditions["applications"] is not JsonObject || conditions["users"] is not JsonObject)
        {
            throw GraphException.BadRequest("A Conditional Access policy needs conditions with applications and users.", source);
        }

        if (create && body["grantControls"] is not JsonObject && body["sessionControls"] is not JsonObject)
        {
            throw GraphException.BadRequest("A Conditional Access policy needs grantControls or sessionControls.", source);
        }
    }

    /// <summary>An IP named location needs CIDR ranges of a known kind; a country named location its countries.</summary>
    private static void ValidateNamedLocation(JsonObject body, string type, ErrorSource source, bool create)
    {
        if (type.EndsWith("ipNamedLocation", StringComparison.OrdinalIgnoreCase) && (create || body.ContainsKey("ipRanges")))
        {
            if (body["ipRanges"] is not JsonArray { Count: > 0 } ranges)
            {
                throw GraphException.BadRequest("An IP named location needs at least one range in 'ipRanges'.", source);
            }

            foreach (var range in ranges)
            {
                var rangeType = range?["@odata.type"]?.GetValue<string>()?.TrimStart('#');
                if (rangeType is not ("microsoft.graph.iPv4CidrRange" or "microsoft.graph.iPv6CidrRange")
                    || range!["cidrAddress"] is not JsonValue cidr || !cidr.TryGetValue<string>(out var address) || !address.Contains('/', StringComparison.Ordinal))
                {
                    throw GraphException.BadRequest("Each of 'ipRanges' is an iPv4CidrRange or iPv6CidrRange with a cidrAddress.", source);
                }
            }
        }

        if (type.EndsWith("countryNamedLocation", StringComparison.OrdinalIgnoreCase) && body.ContainsKey("countriesAndRegions")
            && body["countriesAndRegions"] is not JsonArray)
        {
            throw GraphException.BadRequest("The property 'countriesAndRegions' must be a collection of country codes.", source);
        }
    }

    /// <summary>The targeted apps are written only with the targetApps action (its reference page), not inside the object.</summary>
    private static void RejectApps(FamilyDefinition family, JsonObject body, ErrorSource source)
    {
        if (family.TargetsApps && body.ContainsKey("apps"))
        {
            throw GraphException.BadRequest("The navigation property 'apps' cannot be written with the object; use the action 'targetApps'.", source);
        }

        ChildHandlers.RejectInBody(family, body, source);
    }

    /// <summary>The concrete type a create makes: the body's @odata.type, which must be one the family knows.</summary>
    private static string ResolveType(FamilyDefinition family, string? sentType, ErrorSource source)
    {
        if (sentType is null)
        {
            return family.KnownTypes[0];
        }

        var name = GraphSchema.TypeName(sentType);
        if (!family.KnownTypes.Contains(name, StringComparer.OrdinalIgnoreCase) && !string.Equals(name, family.EntityType, StringComparison.OrdinalIgnoreCase))
        {
            throw GraphException.BadRequest(
                $"A type named '{name}' could not be resolved by the model. When a model is available, each type name must resolve to a valid type.", source);
        }

        return family.KnownTypes.FirstOrDefault(t => string.Equals(t, name, StringComparison.OrdinalIgnoreCase)) ?? family.KnownTypes[0];
    }

    /// <summary>The schema a write to the family is checked against: the concrete type's, or the groups' own.</summary>
    private static TypeSchema? SchemaOf(FamilyDefinition family, string type) => family.IsDirectory ? GroupSchema : GraphSchema.Find(type);

    /// <summary>Read-only properties: the schema's list, or the emulator's own for a type it does not describe.</summary>
    private static bool IsReadOnly(TypeSchema? schema, string name) => schema?.ReadOnly.Contains(name) ?? ServerManaged.Contains(name);

    /// <summary>Checks a write body against the type's schema: unknown properties and values of the wrong kind answer 400.</summary>
    private static void Validate(FamilyDefinition family, JsonObject body, TypeSchema? schema, ErrorSource source)
    {
        if (schema is null)
        {
            return;
        }

        var navigations = new HashSet<string>(family.Navigations, StringComparer.Ordinal) { "assignments" };
        BodyValidator.Validate(body, schema, navigations, source);
        if (family.Navigations.Contains("scheduledActionsForRule") && body["scheduledActionsForRule"] is JsonArray rules)
        {
            var (ruleType, actionType) = ScheduledActionTypes(family);
            var ruleSchema = GraphSchema.Get(ruleType);
            var actionSchema = GraphSchema.Get(actionType);
            foreach (var rule in rules.OfType<JsonObject>())
            {
                BodyValidator.Validate(rule, ruleSchema, RuleNavigations, source);
                foreach (var action in (rule["scheduledActionConfigurations"] as JsonArray ?? []).OfType<JsonObject>())
                {
                    BodyValidator.Validate(action, actionSchema, RuleNavigations, source);
                }
            }
        }

        if (family.UpdateWithPut && body["settings"] is JsonArray settings)
        {
            var settingSchema = GraphSchema.Get("microsoft.graph.deviceManagementConfigurationSetting");
            foreach (var setting in settings.OfType<JsonObject>())
            {
                BodyValidator.Validate(setting, settingSchema, RuleNavigations, source);
            }
        }
    }

    /// <summary>The rule and action types of a family's actions for noncompliance (settings-catalog compliance has its own).</summary>
    public static (string Rule, string Action) ScheduledActionTypes(FamilyDefinition family) =>
        family.Name == GraphFamilies.CompliancePolicies
            ? ("microsoft.graph.deviceManagementComplianceScheduledActionForRule", "microsoft.graph.deviceManagementComplianceActionItem")
            : ("microsoft.graph.deviceComplianceScheduledActionForRule", "microsoft.graph.deviceComplianceActionItem");

    private static readonly IReadOnlySet<string> RuleNavigations = new HashSet<string>(StringComparer.Ordinal) { "scheduledActionConfigurations", "settingDefinitions" };

    /// <summary>
    /// Groups are checked against the group schema completed with the emulator's own group properties (the docs'
    /// example shows only some of them, several as null).
    /// </summary>
    private static readonly TypeSchema GroupSchema = GraphSchema.Get("microsoft.graph.group").WithSample(
        DirectoryShapes.Group(new SeedRandom(0, "shape"), Guid.Empty.ToString(), "shape", "contoso.example", TenantSeeder.Anchor),
        ServerManaged);

    public static JsonObject RequireObject(GraphCall call, ErrorSource source)
    {
        if (call.Request.BodyUnreadable)
        {
            throw GraphException.BadRequest("Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.", source);
        }

        return call.Request.Body as JsonObject ?? throw GraphException.BadRequest("Empty Payload. JSON content expected.", source);
    }

    /// <summary>Read-only annotations (@odata.context, @odata.etag, …) in a write are rejected, as OData does; @odata.type and @odata.bind pass.</summary>
    public static void RejectAnnotations(JsonObject body, ErrorSource source)
    {
        foreach (var (name, _) in body)
        {
            var at = name.IndexOf('@', StringComparison.Ordinal);
            if (at < 0 || name == "@odata.type" || name.EndsWith("@odata.bind", StringComparison.Ordinal))
            {
                continue;
            }

            var annotation = name[(at + 1)..];
            throw GraphException.BadRequest(
                $"The annotation '{annotation}' was found. This annotation is either not recognized or not expected at the current position.", source);
        }
    }

    public static IEnumerable<JsonObject> NumberSettings(JsonArray settings) =>
        settings.OfType<JsonObject>().Select((setting, index) =>
        {
            var copy = new JsonObject { ["id"] = index.ToString(CultureInfo.InvariantCulture) };
            foreach (var (name, value) in setting)
            {
                if (name != "id")
                {
                    copy[name] = value?.DeepClone();
                }
            }

            return copy;
        });

    private static ODataQuery ODataQueryEmpty(GraphCall call, FamilyDefinition family) =>
        ODataQuery.Parse(new GraphRequest
        {
            Method = "GET",
            Version = call.Request.Version,
            Path = call.Request.Path,
            RawQuery = "",
            Query = new Dictionary<string, string>(),
            QueryPairs = [],
            Headers = new Dictionary<string, string>(),
            BaseUrl = call.Request.BaseUrl,
        }, family);

    private static JsonObject NewGroup(GraphCall call, JsonObject body, string id)
    {
        foreach (var required in new[] { "mailNickname", "mailEnabled", "securityEnabled" })
        {
            if (body[required] is null)
            {
                throw new GraphException(400, "Request_BadRequest", $"Invalid value specified for property '{required}' of resource 'Group'.", ErrorSource.Directory);
            }
        }

        var now = SeedRandom.DirectoryTime(call.Now);
        var template = DirectoryShapes.Group(new SeedRandom(0, id), id, "", call.Tenant.Domain, call.Now);
        var data = new JsonObject();
        foreach (var (name, value) in template)
        {
            data[name] = body.ContainsKey(name) && !IsReadOnly(GroupSchema, name) ? body[name]?.DeepClone()
                : name is "id" or "securityIdentifier" ? value?.DeepClone()
                : value is JsonArray ? new JsonArray()
                : null;
        }

        data["createdDateTime"] = now;
        data["renewedDateTime"] = now;
        if (!body.ContainsKey("mail"))
        {
            data["mail"] = body["mailEnabled"]?.GetValue<bool>() == true ? $"{body["mailNickname"]}@{call.Tenant.Domain}" : null;
        }

        return data;
    }

    private static JsonObject NewIntuneObject(GraphCall call, FamilyDefinition family, JsonObject body, string id, string type, TypeSchema? schema)
    {
        var now = SeedRandom.IntuneTime(call.Now);

        // Every property of the type, unset, then what the body sends: a created object reads back in full, like Graph's.
        var data = schema is not null ? GraphSchema.Unset(type) : new JsonObject();
        if (body["@odata.type"] is { } sentType)
        {
            data["@odata.type"] = sentType.DeepClone();
        }
        else if (!family.Polymorphic && !family.TypedItems)
        {
            data.Remove("@odata.type");
        }

        data["id"] = id;
        var navigations = new HashSet<string>(family.Navigations, StringComparer.Ordinal) { "assignments" };
        foreach (var (name, value) in body)
        {
            if (name == "@odata.type" || IsReadOnly(schema, name) || navigations.Contains(name) || name.Contains('@', StringComparison.Ordinal))
            {
                continue;
            }

            data[name] = value?.DeepClone();
        }

        if (family.BaseProperties.Contains("createdDateTime"))
        {
            data["createdDateTime"] = now;
        }

        if (family.BaseProperties.Contains("lastModifiedDateTime"))
        {
            data["lastModifiedDateTime"] = now;
        }

        if (family.IsConditionalAccess)
        {
            // Entra's timestamps; a new policy has not been modified yet, a new named location was just now.
            data["createdDateTime"] = SeedRandom.DirectoryTime(call.Now);
            data["modifiedDateTime"] = family.Name == GraphFamilies.NamedLocations ? SeedRandom.DirectoryTime(call.Now) : null;
        }

        if (family.HasVersion)
        {
            data["version"] = family.EtagVersion ? $"\"{Guid.NewGuid().ToString()[..8]}\"" : family.TextVersion ? "1" : 1;
        }

        if (data.ContainsKey("supportsScopeTags"))
        {
            data["supportsScopeTags"] = true;
        }

        if (family.BaseProperties.Contains("roleScopeTagIds") && data["roleScopeTagIds"] is not JsonArray { Count: > 0 })
        {
            data["roleScopeTagIds"] = new JsonArray("0");
        }

        if (family.Name == GraphFamilies.CompliancePolicies)
        {
            data["creationSource"] ??= null;
            data["isAssigned"] = false;
        }

        if (family.Name == GraphFamilies.ConfigurationPolicies)
        {
            data["creationSource"] ??= null;
            data["isAssigned"] = false;
            data["templateReference"] ??= new JsonObject
            {
                ["templateId"] = "",
                ["templateFamily"] = "none",
                ["templateDisplayName"] = null,
                ["templateDisplayVersion"] = null,
            };
        }

        IntuneShapes.DeriveUpdateRelease(family.Name, data);
        if (family.Name == GraphFamilies.WindowsDriverUpdateProfiles)
        {
            // A new driver profile has no devices reporting yet; its first inventory sync is Intune's.
            data["deviceReporting"] = 0;
            data["newUpdates"] = 0;
            data["inventorySyncStatus"] = new JsonObject
            {
                ["@odata.type"] = "microsoft.graph.windowsDriverUpdateProfileInventorySyncStatus",
                ["lastSuccessfulSyncDateTime"] = now,
                ["driverInventorySyncState"] = "success",
            };
        }

        if (family.Name == GraphFamilies.RoleScopeTags)
        {
            data["isBuiltIn"] = false;
        }

        if (family.Name == GraphFamilies.TermsAndConditions)
        {
            // The admin raises the version to have users accept again; a new one starts at 1.
            data["version"] = 1;
        }

        if (family.DefaultProperty is { } defaultProperty)
        {
            // Only Intune makes a tenant's default; a created one never is.
            data[defaultProperty] = false;
        }

        if (family.Name == GraphFamilies.ReusablePolicySettings)
        {
            // No policy uses a new reusable setting yet.
            data["referencingConfigurationPolicyCount"] = 0;
        }

        if (family.Name == GraphFamilies.RoleDefinitions)
        {
            data["isBuiltIn"] = false;
            data["isBuiltInRoleDefinition"] = false;
        }

        return data;
    }

    /// <summary>
    /// Compliance's actions for noncompliance as a write sends them: each rule and each of its actions checked against its
    /// type, then stored with new ids (an action without configurations gets an empty list).
    /// </summary>
    public static List<JsonObject> ScheduledActionsFromBody(FamilyDefinition family, JsonArray rules, ErrorSource source)
    {
        var (ruleType, actionType) = ScheduledActionTypes(family);
        var result = new List<JsonObject>();
        foreach (var item in rules)
        {
            if (item is not JsonObject rule)
            {
                throw GraphException.BadRequest("Each scheduled action must be an object.", source);
            }

            BodyValidator.Validate(rule, GraphSchema.Get(ruleType), RuleNavigations, source);
            foreach (var action in (rule["scheduledActionConfigurations"] as JsonArray ?? []).OfType<JsonObject>())
            {
                BodyValidator.Validate(action, GraphSchema.Get(actionType), RuleNavigations, source);
            }
        }

        var store = new StoredResource(new JsonObject { ["id"] = "rules" });
        AddNavigationsFromBody(family, new JsonObject { ["scheduledActionsForRule"] = rules.DeepClone() }, store);
        result.AddRange(store.ScheduledActionsForRule);
        return result;
    }

    private static void AddNavigationsFromBody(FamilyDefinition family, JsonObject body, StoredResource resource)
    {
        if (family.UpdateWithPut && body["settings"] is JsonArray settings)
        {
            resource.Settings.AddRange(NumberSettings(settings));
            resource.Data["settingCount"] = resource.Settings.Count;
        }

        if (family.Navigations.Contains("scheduledActionsForRule") && body["scheduledActionsForRule"] is JsonArray rules)
        {
            foreach (var rule in rules.OfType<JsonObject>())
            {
                var copy = (JsonObject)rule.DeepClone();
                copy["id"] = Guid.NewGuid().ToString();
                if (copy["scheduledActionConfigurations"] is JsonArray configurations)
                {
                    foreach (var configuration in configurations.OfType<JsonObject>())
                    {
                        configuration["id"] = Guid.NewGuid().ToString();
                    }
                }
                else
                {
                    copy["scheduledActionConfigurations"] = new JsonArray();
                }

                resource.ScheduledActionsForRule.Add(copy);
            }
        }
    }

    private static bool IsBase64(string value)
    {
        var buffer = new byte[value.Length];
        return Convert.TryFromBase64String(value, buffer, out _);
    }
}
