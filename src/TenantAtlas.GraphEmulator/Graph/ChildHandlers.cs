using System.Text.Json.Nodes;
using TenantAtlas.GraphEmulator.Seeding;
using TenantAtlas.GraphEmulator.Shapes;
using TenantAtlas.GraphEmulator.State;

namespace TenantAtlas.GraphEmulator.Graph;

/// <summary>
/// Child objects stored below an item (<see cref="FamilyDefinition.ChildCollections"/>): notification templates' localized
/// messages (listed, created, changed and deleted below the template, one per locale), Windows Information Protection's
/// AppLocker files (listed, created and deleted below the policy) and a policy set's items (listed below the set, written
/// only with the set's update action, which also replaces the set's assignments).
/// </summary>
internal static class ChildHandlers
{
    /// <summary>What the service stamps on a child its type has them for.</summary>
    private static readonly string[] Timestamps = ["createdDateTime", "lastModifiedDateTime"];

    public static bool Handles(FamilyDefinition family, string navigation, int depth, string method) =>
        (family.ChildCollection(navigation) is { } children && (depth, method) switch
        {
            (1, "GET") or (2, "GET") => true,
            (1, "POST") or (2, "DELETE") => children.WrittenBelow,
            (2, "PATCH") => children.UpdatedBelow,
            _ => false,
        })
        || (family.PolicySetUpdate && navigation == "update" && depth == 1 && method == "POST");

    public static GraphResponse Handle(GraphCall call, FamilyDefinition family, string id, IReadOnlyList<string> rest)
    {
        if ((rest[0], rest.Count, call.Request.Method) is ("update", 1, "POST") && family.PolicySetUpdate)
        {
            return PolicySetUpdate(call, family, id);
        }

        var children = family.ChildCollection(rest[0])!;
        return (rest.Count, call.Request.Method) switch
        {
            (1, "GET") => List(call, family, id, children),
            (2, "GET") => Get(call, family, id, children, rest[1]),
            (1, "POST") => Create(call, family, id, children),
            (2, "PATCH") => Update(call, family, id, children, rest[1]),
            _ => Delete(call, family, id, children, rest[1]),
        };
    }

    /// <summary>Child navigations are written below the item or with its action, never inside the object's own body.</summary>
    public static void RejectInBody(FamilyDefinition family, JsonObject body, ErrorSource source)
    {
        if (family.ChildCollections.FirstOrDefault(c => body.ContainsKey(c.Navigation)) is { Navigation: var navigation })
        {
            var how = family.PolicySetUpdate ? "use the action 'update'" : $"create them with POST {{id}}/{navigation}";
            throw GraphException.BadRequest($"The navigation property '{navigation}' cannot be written with the object; {how}.", source);
        }
    }

    private static StoredResource Find(GraphCall call, FamilyDefinition family, string id) =>
        call.Tenant.Collection(family.Name).Find(id) ?? throw GraphException.NotFound(family, id);

    private static JsonObject FindChild(FamilyDefinition family, StoredResource resource, ChildCollectionDefinition children, string childId) =>
        resource.ChildrenOf(children.Navigation).FirstOrDefault(c => string.Equals(c["id"]?.GetValue<string>(), childId, StringComparison.OrdinalIgnoreCase))
            ?? throw ChildNotFound(family, childId);

    private static GraphResponse List(GraphCall call, FamilyDefinition family, string id, ChildCollectionDefinition children)
    {
        lock (call.Tenant.Sync)
        {
            var resource = Find(call, family, id);
            return NavigationHandlers.PagedCollection(call, family, resource, children.Navigation, resource.ChildrenOf(children.Navigation));
        }
    }

    private static GraphResponse Get(GraphCall call, FamilyDefinition family, string id, ChildCollectionDefinition children, string childId)
    {
        lock (call.Tenant.Sync)
        {
            var resource = Find(call, family, id);
            return new GraphResponse(200, Entity(call, family, resource, children, FindChild(family, resource, children, childId)));
        }
    }

    /// <summary>POST {item}/{navigation}: a child checked against its type's schema (and its unique key), stored with an id of its own (201).</summary>
    private static GraphResponse Create(GraphCall call, FamilyDefinition family, string id, ChildCollectionDefinition children)
    {
        var body = CollectionHandlers.RequireObject(call, ErrorSource.Intune);
        CollectionHandlers.RejectAnnotations(body, ErrorSource.Intune);
        var child = NewChild(call, children, body, Guid.NewGuid().ToString());
        lock (call.Tenant.Sync)
        {
            var resource = Find(call, family, id);
            var list = resource.ChildrenOf(children.Navigation);
            if (children.UniqueKey is { } key)
            {
                var value = child[key] is JsonValue v && v.TryGetValue<string>(out var text) && text.Length > 0
                    ? text
                    : throw GraphException.BadRequest($"The property '{key}' is required.", ErrorSource.Intune);
                if (list.Any(c => string.Equals(c[key]?.GetValue<string>(), value, StringComparison.OrdinalIgnoreCase)))
                {
                    throw GraphException.BadRequest($"The object already has one of its {children.Navigation} with the {key} '{value}'.", ErrorSource.Intune);
                }
            }

            list.Add(child);
            call.Tenant.Touch(family.Name, resource);
            return new GraphResponse(201, Entity(call, family, resource, children, child));
        }
    }

    /// <summary>PATCH {item}/{navigation}/{id}: the properties sent, checked against the child's type, replace the stored ones.</summary>
    private static GraphResponse Update(GraphCall call, FamilyDefinition family, string id, ChildCollectionDefinition children, string childId)
    {
        var body = CollectionHandlers.RequireObject(call, ErrorSource.Intune);
        CollectionHandlers.RejectAnnotations(body, ErrorSource.Intune);
        lock (call.Tenant.Sync)
        {
            var resource = Find(call, family, id);
            var stored = FindChild(family, resource, children, childId);
            var schema = GraphSchema.Get(GraphSchema.TypeName(stored["@odata.type"]?.GetValue<string>() ?? children.Types[0]));
            BodyValidator.Validate(body, schema, new HashSet<string>(StringComparer.Ordinal), ErrorSource.Intune);
            foreach (var (name, value) in body)
            {
                if (name is not ("@odata.type" or "id") && !schema.ReadOnly.Contains(name))
                {
                    stored[name] = value?.DeepClone();
                }
            }

            if (stored.ContainsKey("lastModifiedDateTime"))
            {
                stored["lastModifiedDateTime"] = SeedRandom.IntuneTime(call.Now);
            }

            call.Tenant.Touch(family.Name, resource);
            return GraphResponse.NoContent();
        }
    }

    private static GraphResponse Delete(GraphCall call, FamilyDefinition family, string id, ChildCollectionDefinition children, string childId)
    {
        lock (call.Tenant.Sync)
        {
            var resource = Find(call, family, id);
            resource.ChildrenOf(children.Navigation).Remove(FindChild(family, resource, children, childId));
            call.Tenant.Touch(family.Name, resource);
            return GraphResponse.NoContent();
        }
    }

    private static JsonObject Entity(GraphCall call, FamilyDefinition family, StoredResource resource, ChildCollectionDefinition children, JsonObject child)
    {
        var json = (JsonObject)child.DeepClone();
        json.Insert(0, "@odata.context", $"{call.Metadata}#{family.CollectionPath}('{resource.Id}')/{children.Navigation}/$entity");
        return json;
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

        var children = family.ChildCollection("items")!;
        lock (call.Tenant.Sync)
        {
            var resource = Find(call, family, id);
            var items = resource.ChildrenOf(children.Navigation).Select(i => (JsonObject)i.DeepClone()).ToList();
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

                var replacement = NewChild(call, children, input, items[index]["id"]!.GetValue<string>(), items[index]["@odata.type"]?.GetValue<string>());
                replacement["createdDateTime"] = items[index]["createdDateTime"]?.DeepClone();
                items[index] = Payload(call, replacement);
            }

            foreach (var added in Array(body, "addedPolicySetItems"))
            {
                var input = added as JsonObject ?? throw GraphException.BadRequest("Each added item must be an object.", ErrorSource.Intune);
                var item = Payload(call, NewChild(call, children, input, Guid.NewGuid().ToString()));
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

            var list = resource.ChildrenOf(children.Navigation);
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
    private static JsonObject NewChild(GraphCall call, ChildCollectionDefinition children, JsonObject body, string childId, string? storedType = null)
    {
        var sent = body["@odata.type"] is JsonValue t && t.TryGetValue<string>(out var typeText) ? GraphSchema.TypeName(typeText) : null;
        var type = sent ?? (storedType is null ? children.Types[0] : GraphSchema.TypeName(storedType));
        if (!children.Types.Contains(type, StringComparer.Ordinal))
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
        foreach (var stamp in Timestamps.Where(child.ContainsKey))
        {
            child[stamp] = now;
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
