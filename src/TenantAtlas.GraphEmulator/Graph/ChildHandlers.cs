using System.Text.Json.Nodes;
using TenantAtlas.GraphEmulator.Seeding;
using TenantAtlas.GraphEmulator.Shapes;
using TenantAtlas.GraphEmulator.State;

namespace TenantAtlas.GraphEmulator.Graph;

/// <summary>
/// Child objects stored below an item (<see cref="FamilyDefinition.ChildCollections"/>): Windows Information Protection's
/// AppLocker files (listed, created and deleted below the policy) and a policy set's items (listed below the set, written
/// only with the set's update action, which also replaces the set's assignments).
/// </summary>
internal static class ChildHandlers
{
    public static bool Handles(FamilyDefinition family, string navigation, int depth, string method) =>
        (family.ChildCollections.Contains(navigation) && (depth, method) switch
        {
            (1, "GET") or (2, "GET") => true,
            (1, "POST") or (2, "DELETE") => family.ChildrenCreatedBelow,
            _ => false,
        })
        || (family.PolicySetUpdate && navigation == "update" && depth == 1 && method == "POST");

    public static GraphResponse Handle(GraphCall call, FamilyDefinition family, string id, IReadOnlyList<string> rest) =>
        (rest[0], rest.Count, call.Request.Method) switch
        {
            ("update", 1, "POST") => PolicySetUpdate(call, family, id),
            (_, 1, "GET") => List(call, family, id, rest[0]),
            (_, 2, "GET") => Get(call, family, id, rest[0], rest[1]),
            (_, 1, "POST") => Create(call, family, id, rest[0]),
            _ => Delete(call, family, id, rest[0], rest[1]),
        };

    /// <summary>Child navigations are written below the item or with its action, never inside the object's own body.</summary>
    public static void RejectInBody(FamilyDefinition family, JsonObject body, ErrorSource source)
    {
        if (family.ChildCollections.FirstOrDefault(body.ContainsKey) is { } navigation)
        {
            var how = family.PolicySetUpdate ? "use the action 'update'" : $"create them with POST {{id}}/{navigation}";
            throw GraphException.BadRequest($"The navigation property '{navigation}' cannot be written with the object; {how}.", source);
        }
    }

    private static StoredResource Find(GraphCall call, FamilyDefinition family, string id) =>
        call.Tenant.Collection(family.Name).Find(id) ?? throw GraphException.NotFound(family, id);

    private static GraphResponse List(GraphCall call, FamilyDefinition family, string id, string navigation)
    {
        lock (call.Tenant.Sync)
        {
            var resource = Find(call, family, id);
            var items = resource.ChildrenOf(navigation);
            var key = Paging.NavigationKey(family, resource.Id, navigation);
            var query = ODataQuery.Parse(call.Request, null);
            var after = Paging.ReadSkipToken(call, query, key, ErrorSource.Intune);
            var offset = after is null ? 0 : int.Parse(after, System.Globalization.CultureInfo.InvariantCulture);
            var size = Paging.ExpandedPageSize(call);
            var body = new JsonObject { ["@odata.context"] = $"{call.Metadata}#{family.CollectionPath}('{resource.Id}')/{navigation}" };
            if (offset + size < items.Count)
            {
                body["@odata.nextLink"] = Paging.Link(call, "$skiptoken", Paging.SkipToken(call, key, (offset + size).ToString(System.Globalization.CultureInfo.InvariantCulture)));
            }

            body["value"] = Projection.Json(items.Skip(offset).Take(size).Select(i => i.DeepClone()));
            return new GraphResponse(200, body);
        }
    }

    private static GraphResponse Get(GraphCall call, FamilyDefinition family, string id, string navigation, string childId)
    {
        lock (call.Tenant.Sync)
        {
            var resource = Find(call, family, id);
            var child = resource.ChildrenOf(navigation).FirstOrDefault(c => string.Equals(c["id"]?.GetValue<string>(), childId, StringComparison.OrdinalIgnoreCase))
                ?? throw ChildNotFound(family, childId);
            var json = (JsonObject)child.DeepClone();
            json.Insert(0, "@odata.context", $"{call.Metadata}#{family.CollectionPath}('{resource.Id}')/{navigation}/$entity");
            return new GraphResponse(200, json);
        }
    }

    /// <summary>POST {policy}/{navigation}: an AppLocker file, checked against its schema, stored with an id of its own (201).</summary>
    private static GraphResponse Create(GraphCall call, FamilyDefinition family, string id, string navigation)
    {
        var body = CollectionHandlers.RequireObject(call, ErrorSource.Intune);
        var child = NewChild(call, family, body, Guid.NewGuid().ToString());
        lock (call.Tenant.Sync)
        {
            var resource = Find(call, family, id);
            resource.ChildrenOf(navigation).Add(child);
            call.Tenant.Touch(family.Name, resource);
            var json = (JsonObject)child.DeepClone();
            json.Insert(0, "@odata.context", $"{call.Metadata}#{family.CollectionPath}('{resource.Id}')/{navigation}/$entity");
            return new GraphResponse(201, json);
        }
    }

    private static GraphResponse Delete(GraphCall call, FamilyDefinition family, string id, string navigation, string childId)
    {
        lock (call.Tenant.Sync)
        {
            var resource = Find(call, family, id);
            if (resource.ChildrenOf(navigation).RemoveAll(c => string.Equals(c["id"]?.GetValue<string>(), childId, StringComparison.OrdinalIgnoreCase)) == 0)
            {
                throw ChildNotFound(family, childId);
            }

            call.Tenant.Touch(family.Name, resource);
            return GraphResponse.NoContent();
        }
    }

    /// <summary>
    /// <c>POST {policySet}/update</c> (beta intune-policyset-policyset-update): <c>addedPolicySetItems</c>,
    /// <c>updatedPolicySetItems</c> (by item id), <c>deletedPolicySetItems</c> (item ids) and <c>assignments</c> (replaces the
    /// set's). Everything is checked before anything changes; an added item's payload must be an object of this tenant.
    /// </summary>
    private static GraphResponse PolicySetUpdate(GraphCall call, FamilyDefinition family, string id)
    {
        var body = CollectionHandlers.RequireObject(call, ErrorSource.Intune);
        string[] parameters = ["addedPolicySetItems", "updatedPolicySetItems", "deletedPolicySetItems", "assignments"];
        if (body.FirstOrDefault(p => !parameters.Contains(p.Key, StringComparer.Ordinal)) is { Key: { } unknown })
        {
            throw GraphException.BadRequest($"The parameter '{unknown}' is not in scope of the action 'update'.", ErrorSource.Intune);
        }

        const string navigation = "items";
        lock (call.Tenant.Sync)
        {
            var resource = Find(call, family, id);
            var items = resource.ChildrenOf(navigation).Select(i => (JsonObject)i.DeepClone()).ToList();
            foreach (var deleted in Array(body, "deletedPolicySetItems"))
            {
                var itemId = deleted is JsonValue v && v.TryGetValue<string>(out var text) ? text : throw GraphException.BadRequest("Each deleted item is named by its id.", ErrorSource.Intune);
                if (items.RemoveAll(i => string.Equals(i["id"]?.GetValue<string>(), itemId, StringComparison.OrdinalIgnoreCase)) == 0)
                {
                    throw ChildNotFound(family, itemId);
                }
            }

            foreach (var updated in Array(body, "updatedPolicySetItems"))
            {
                var input = updated as JsonObject ?? throw GraphException.BadRequest("Each updated item must be an object.", ErrorSource.Intune);
                var itemId = input["id"]?.GetValue<string>() ?? throw GraphException.BadRequest("An updated item is named by its id.", ErrorSource.Intune);
                var index = items.FindIndex(i => string.Equals(i["id"]?.GetValue<string>(), itemId, StringComparison.OrdinalIgnoreCase));
                if (index < 0)
                {
                    throw ChildNotFound(family, itemId);
                }

                var replacement = NewChild(call, family, input, items[index]["id"]!.GetValue<string>(), items[index]["@odata.type"]?.GetValue<string>());
                replacement["createdDateTime"] = items[index]["createdDateTime"]?.DeepClone();
                items[index] = Payload(call, replacement);
            }

            foreach (var added in Array(body, "addedPolicySetItems"))
            {
                var input = added as JsonObject ?? throw GraphException.BadRequest("Each added item must be an object.", ErrorSource.Intune);
                var item = Payload(call, NewChild(call, family, input, Guid.NewGuid().ToString()));
                if (items.Any(i => string.Equals(i["payloadId"]?.GetValue<string>(), item["payloadId"]?.GetValue<string>(), StringComparison.OrdinalIgnoreCase)))
                {
                    throw GraphException.BadRequest($"The policy set already has an item for '{item["payloadId"]}'.", ErrorSource.Intune);
                }

                items.Add(item);
            }

            if (items.Count > 100)
            {
                throw GraphException.BadRequest("A policy set holds at most 100 items.", ErrorSource.Intune);
            }

            if (body["assignments"] is JsonArray)
            {
                // The set's assignments are replaced as by an assign action (checked first, changed only when all are valid).
                NavigationHandlers.ReplaceAssignments(call, family, resource, body["assignments"]!.AsArray());
            }

            var list = resource.ChildrenOf(navigation);
            list.Clear();
            list.AddRange(items);
            call.Tenant.Touch(family.Name, resource);
            return GraphResponse.NoContent();
        }
    }

    private static JsonArray Array(JsonObject body, string name) =>
        body[name] switch
        {
            null => [],
            JsonArray array => array,
            _ => throw GraphException.BadRequest($"The parameter '{name}' must be a collection.", ErrorSource.Intune),
        };

    /// <summary>A child object from a write body: its type's schema checked, every property of the type, the service's own set.</summary>
    private static JsonObject NewChild(GraphCall call, FamilyDefinition family, JsonObject body, string childId, string? storedType = null)
    {
        var sent = body["@odata.type"] is JsonValue t && t.TryGetValue<string>(out var typeText) ? GraphSchema.TypeName(typeText) : null;
        var type = sent ?? (storedType is null ? family.ChildTypes[0] : GraphSchema.TypeName(storedType));
        if (!family.ChildTypes.Contains(type, StringComparer.Ordinal))
        {
            // The policy set item base type is abstract: an item names which kind of object it holds.
            throw GraphException.BadRequest(
                $"A type named '{type}' could not be resolved by the model. When a model is available, each type name must resolve to a valid type.", ErrorSource.Intune);
        }

        var schema = GraphSchema.Get(type);
        BodyValidator.Validate(body, schema, new HashSet<string>(StringComparer.Ordinal), ErrorSource.Intune);
        var child = GraphSchema.Unset(type);
        foreach (var (name, value) in body)
        {
            if (name != "@odata.type" && !name.Contains('@', StringComparison.Ordinal) && !schema.ReadOnly.Contains(name))
            {
                child[name] = value?.DeepClone();
            }
        }

        var now = SeedRandom.IntuneTime(call.Now);
        child["id"] = childId;
        if (child.ContainsKey("createdDateTime"))
        {
            child["createdDateTime"] = now;
            child["lastModifiedDateTime"] = now;
        }

        if (child.ContainsKey("status"))
        {
            child["status"] = "success";
            child["errorCode"] = "noError";
        }

        return child;
    }

    /// <summary>
    /// A policy set item names an object of this tenant (payloadId); Intune refuses one it cannot find. The item's display
    /// name is the object's.
    /// </summary>
    private static JsonObject Payload(GraphCall call, JsonObject item)
    {
        var payloadId = item["payloadId"] is JsonValue v && v.TryGetValue<string>(out var text) && text.Length > 0
            ? text
            : throw GraphException.BadRequest("A policy set item needs its payloadId.", ErrorSource.Intune);
        var family = PayloadFamilies.GetValueOrDefault(GraphSchema.TypeName(item["@odata.type"]!.GetValue<string>()));
        var payload = family?.Select(f => call.Tenant.Get(f, payloadId)).FirstOrDefault(p => p is not null)
            ?? throw GraphException.BadRequest($"The payload '{payloadId}' of the policy set item does not exist in this tenant.", ErrorSource.Intune);
        item["displayName"] = payload["displayName"]?.DeepClone() ?? payload["name"]?.DeepClone();
        return item;
    }

    /// <summary>Where each item type's payload lives.</summary>
    public static readonly Dictionary<string, string[]> PayloadFamilies = new(StringComparer.Ordinal)
    {
        ["microsoft.graph.deviceConfigurationPolicySetItem"] = [GraphFamilies.DeviceConfigurations],
        ["microsoft.graph.deviceCompliancePolicyPolicySetItem"] = [GraphFamilies.DeviceCompliancePolicies],
        ["microsoft.graph.mobileAppPolicySetItem"] = [GraphFamilies.MobileApps],
        ["microsoft.graph.managedAppProtectionPolicySetItem"] =
        [
            GraphFamilies.IosManagedAppProtections, GraphFamilies.AndroidManagedAppProtections, GraphFamilies.WindowsManagedAppProtections,
        ],
    };

    private static GraphException ChildNotFound(FamilyDefinition family, string childId) =>
        new(404, "ResourceNotFound", $"Resource not found: an object below {family.EntityType} with id '{childId}'.", ErrorSource.Intune);
}
