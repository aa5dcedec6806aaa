using System.Text.Json.Nodes;
using TenantAtlas.GraphEmulator.Seeding;
using TenantAtlas.GraphEmulator.Shapes;
using TenantAtlas.GraphEmulator.State;

namespace TenantAtlas.GraphEmulator.Graph;

/// <summary>What hangs below one Intune object: assignments and /assign, settings, definition values, scheduled actions.</summary>
internal static class NavigationHandlers
{
    private static readonly HashSet<string> TargetTypes = new(StringComparer.Ordinal)
    {
        "#microsoft.graph.groupAssignmentTarget",
        "#microsoft.graph.exclusionGroupAssignmentTarget",
        "#microsoft.graph.allLicensedUsersAssignmentTarget",
        "#microsoft.graph.allDevicesAssignmentTarget",
    };

    /// <summary>Routes {collection}/{id}/{navigation}[/{key}[/{more}]] for GET, POST, PATCH and DELETE.</summary>
    public static GraphResponse Handle(GraphCall call, FamilyDefinition family, string id, IReadOnlyList<string> rest)
    {
        var method = call.Request.Method;
        var navigation = rest[0];
        var source = ErrorSource.Intune;
        return (navigation, rest.Count, method) switch
        {
            ("assignments", 1, "GET") when family.HasAssignments => ListAssignments(call, family, id),
            ("assignments", 1, "POST") when family.HasAssignments => AddAssignment(call, family, id),
            ("assignments", 2, "GET") when family.HasAssignments => GetAssignment(call, family, id, rest[1]),
            ("assignments", 2, "DELETE") when family.HasAssignments => DeleteAssignment(call, family, id, rest[1]),
            ("assign", 1, "POST") when family.HasAssignments && !family.NoAssignAction && !family.PolicySetUpdate => Assign(call, family, id),
            ("apps", 1, "GET") when family.TargetsApps => ListApps(call, family, id),
            ("targetApps", 1, "POST") when family.TargetsApps => TargetApps(call, family, id),
            ("settings", 1, "GET") when family.Navigations.Contains("settings") => Settings(call, family, id, null),
            ("settings", 2, "GET") when family.Navigations.Contains("settings") => Settings(call, family, id, rest[1]),
            ("updateSettings", 1, "POST") when family.Name == GraphFamilies.Intents => EndpointSecurityHandlers.UpdateSettings(call, family, id),
            ("createInstance", 1, "POST") when family.Name == GraphFamilies.Templates => EndpointSecurityHandlers.CreateInstance(call, id),
            ("getOmaSettingPlainTextValue", _, "GET") when family.Name == GraphFamilies.DeviceConfigurations => OmaSettingPlainTextValue(call, family, id, rest),
            ("scheduledActionsForRule", 1, "GET") when family.Navigations.Contains("scheduledActionsForRule") => ScheduledActions(call, family, id),
            ("setScheduledActions", 1, "POST") when family.Name == GraphFamilies.CompliancePolicies => SetScheduledActions(call, family, id),
            ("driverInventories", 1, "GET") when family.Name == GraphFamilies.WindowsDriverUpdateProfiles => DriverInventories(call, family, id),
            ("executeAction", 1, "POST") when family.Name == GraphFamilies.WindowsDriverUpdateProfiles => ExecuteDriverAction(call, family, id),
            ("definitionValues", _, _) when family.Name == GraphFamilies.GroupPolicyConfigurations => DefinitionValues(call, family, id, rest),
            _ when ChildHandlers.Handles(family, navigation, rest.Count, method) => ChildHandlers.Handle(call, family, id, rest),
            _ when IsKnownNavigation(family, navigation) => throw GraphException.MethodNotAllowed(method, call.Request.PathAndQuery, source),
            _ => throw GraphException.SegmentNotFound(navigation),
        };
    }

    private static bool IsKnownNavigation(FamilyDefinition family, string navigation) =>
        (family.HasAssignments && (navigation == "assignments" || (navigation == "assign" && !family.NoAssignAction && !family.PolicySetUpdate)))
        || family.Navigations.Contains(navigation) || (family.PolicySetUpdate && navigation == "update");

    /// <summary>The tenant's own default object of a family that has one (branding's default profile).</summary>
    public static bool IsDefaultObject(FamilyDefinition family, StoredResource resource) =>
        family.DefaultProperty is { } property && resource.Data[property] is JsonValue flag && flag.TryGetValue<bool>(out var isDefault) && isDefault;

    private static void RefuseDefaultAssignment(FamilyDefinition family, StoredResource resource)
    {
        if (IsDefaultObject(family, resource))
        {
            throw GraphException.BadRequest("The default branding profile applies to all users and cannot be assigned.", ErrorSource.Intune);
        }
    }

    private static StoredResource Find(GraphCall call, FamilyDefinition family, string id) =>
        call.Tenant.Collection(family.Name).Find(id) ?? throw GraphException.NotFound(family, id);

    private static GraphResponse ListAssignments(GraphCall call, FamilyDefinition family, string id)
    {
        lock (call.Tenant.Sync)
        {
            var resource = Find(call, family, id);
            return PagedCollection(call, family, resource, "assignments", resource.Assignments);
        }
    }

    private static GraphResponse GetAssignment(GraphCall call, FamilyDefinition family, string id, string assignmentId)
    {
        lock (call.Tenant.Sync)
        {
            var resource = Find(call, family, id);
            var assignment = resource.Assignments.FirstOrDefault(a => string.Equals(a["id"]?.GetValue<string>(), assignmentId, StringComparison.OrdinalIgnoreCase))
                ?? throw new GraphException(404, "ResourceNotFound", $"Resource not found: {family.AssignmentType} with id '{assignmentId}'.", ErrorSource.Intune);
            var json = (JsonObject)assignment.DeepClone();
            json.Insert(0, "@odata.context", $"{call.Metadata}#{family.CollectionPath}('{resource.Id}')/assignments/$entity");
            return new GraphResponse(200, json);
        }
    }

    private static GraphResponse AddAssignment(GraphCall call, FamilyDefinition family, string id)
    {
        var body = CollectionHandlers.RequireObject(call, ErrorSource.Intune);
        lock (call.Tenant.Sync)
        {
            var resource = Find(call, family, id);
            RefuseDefaultAssignment(family, resource);
            var assignment = BuildAssignment(call, family, resource.Id, body);
            if (resource.Assignments.Any(a => a["id"]?.GetValue<string>() == assignment["id"]?.GetValue<string>()))
            {
                throw GraphException.BadRequest("An assignment for this target already exists.", ErrorSource.Intune);
            }

            resource.Assignments.Add(assignment);
            MarkAssigned(resource);
            var json = (JsonObject)assignment.DeepClone();
            json.Insert(0, "@odata.context", $"{call.Metadata}#{family.CollectionPath}('{resource.Id}')/assignments/$entity");
            return new GraphResponse(201, json);
        }
    }

    private static GraphResponse DeleteAssignment(GraphCall call, FamilyDefinition family, string id, string assignmentId)
    {
        lock (call.Tenant.Sync)
        {
            var resource = Find(call, family, id);
            var removed = resource.Assignments.RemoveAll(a => string.Equals(a["id"]?.GetValue<string>(), assignmentId, StringComparison.OrdinalIgnoreCase));
            if (removed == 0)
            {
                throw new GraphException(404, "ResourceNotFound", $"Resource not found: {family.AssignmentType} with id '{assignmentId}'.", ErrorSource.Intune);
            }

            MarkAssigned(resource);
            return GraphResponse.NoContent();
        }
    }

    /// <summary>POST {item}/assign replaces the whole assignment set.</summary>
    private static GraphResponse Assign(GraphCall call, FamilyDefinition family, string id)
    {
        var body = CollectionHandlers.RequireObject(call, ErrorSource.Intune);
        var list = body[family.AssignBodyProperty] as JsonArray ?? body["assignments"] as JsonArray
            ?? throw GraphException.BadRequest($"The action 'assign' requires the parameter '{family.AssignBodyProperty}'.", ErrorSource.Intune);
        lock (call.Tenant.Sync)
        {
            var resource = Find(call, family, id);
            if (CollectionHandlers.IsDefaultEnrollmentConfiguration(family, resource.Id))
            {
                throw GraphException.BadRequest("The default enrollment configuration applies to all users and devices and cannot be assigned.", ErrorSource.Intune);
            }

            RefuseDefaultAssignment(family, resource);

            var assignments = ReplaceAssignments(call, family, resource, list);
            if (family.AssignReply == AssignReply.NoContent)
            {
                return GraphResponse.NoContent();
            }

            return new GraphResponse(200, new JsonObject
            {
                ["@odata.context"] = $"{call.Metadata}#Collection({family.AssignmentType})",
                ["value"] = Projection.Json(assignments.Select(a => a.DeepClone())),
            });
        }
    }

    /// <summary>Replaces an object's whole assignment set (checked first: nothing changes when one is invalid); the caller holds the tenant's lock.</summary>
    public static List<JsonObject> ReplaceAssignments(GraphCall call, FamilyDefinition family, StoredResource resource, JsonArray list)
    {
        var assignments = new List<JsonObject>();
        foreach (var item in list)
        {
            if (item is not JsonObject input)
            {
                throw GraphException.BadRequest("Each assignment must be an object.", ErrorSource.Intune);
            }

            var assignment = BuildAssignment(call, family, resource.Id, input);
            if (assignments.Any(a => a["id"]?.GetValue<string>() == assignment["id"]?.GetValue<string>()))
            {
                throw GraphException.BadRequest("The same target is assigned more than once.", ErrorSource.Intune);
            }

            assignments.Add(assignment);
        }

        resource.Assignments.Clear();
        resource.Assignments.AddRange(assignments);
        MarkAssigned(resource);
        return assignments;
    }

    private static GraphResponse ListApps(GraphCall call, FamilyDefinition family, string id)
    {
        lock (call.Tenant.Sync)
        {
            var resource = Find(call, family, id);
            return PagedCollection(call, family, resource, "apps", resource.Apps);
        }
    }

    /// <summary>
    /// <c>POST {policy}/targetApps</c> with <c>{"apps": [managedMobileApp…]}</c> replaces the targeted apps (204). Each app
    /// names its identifier of a platform the family takes; the service answers the apps with ids of its own, here derived
    /// from the identifier, so the same app reads back the same in any tenant.
    /// </summary>
    private static GraphResponse TargetApps(GraphCall call, FamilyDefinition family, string id)
    {
        var body = CollectionHandlers.RequireObject(call, ErrorSource.Intune);
        if (body.Any(p => p.Key != "apps"))
        {
            throw GraphException.BadRequest($"The parameter '{body.First(p => p.Key != "apps").Key}' is not in scope of the action 'targetApps'.", ErrorSource.Intune);
        }

        var list = body["apps"] as JsonArray ?? throw GraphException.BadRequest("The action 'targetApps' requires the parameter 'apps'.", ErrorSource.Intune);
        var apps = new List<JsonObject>();
        foreach (var item in list)
        {
            apps.Add(ManagedMobileApp(family, item));
        }

        if (apps.Select(a => a["id"]!.GetValue<string>()).Distinct(StringComparer.OrdinalIgnoreCase).Count() != apps.Count)
        {
            throw GraphException.BadRequest("The same app is targeted more than once.", ErrorSource.Intune);
        }

        lock (call.Tenant.Sync)
        {
            var resource = Find(call, family, id);
            resource.Apps.Clear();
            resource.Apps.AddRange(apps);
            if (resource.Data.ContainsKey("deployedAppCount"))
            {
                resource.Data["deployedAppCount"] = apps.Count;
            }

            call.Tenant.Touch(family.Name, resource);
            return GraphResponse.NoContent();
        }
    }

    private static readonly Dictionary<string, (string Property, string Suffix)> AppIdentifiers = new(StringComparer.Ordinal)
    {
        ["microsoft.graph.iosMobileAppIdentifier"] = ("bundleId", "ios"),
        ["microsoft.graph.androidMobileAppIdentifier"] = ("packageId", "android"),
        ["microsoft.graph.windowsAppIdentifier"] = ("windowsAppId", "windows"),
    };

    private static JsonObject ManagedMobileApp(FamilyDefinition family, JsonNode? item)
    {
        if (item is not JsonObject app)
        {
            throw GraphException.BadRequest("Each app must be an object.", ErrorSource.Intune);
        }

        foreach (var (name, _) in app)
        {
            if (name is not ("@odata.type" or "id" or "version" or "mobileAppIdentifier"))
            {
                throw GraphException.BadRequest($"The property '{name}' does not exist on type 'microsoft.graph.managedMobileApp'.", ErrorSource.Intune);
            }
        }

        var identifier = app["mobileAppIdentifier"] as JsonObject
            ?? throw GraphException.BadRequest("A managed app needs a mobileAppIdentifier.", ErrorSource.Intune);
        var type = identifier["@odata.type"] is JsonValue typeValue && typeValue.TryGetValue<string>(out var typeName) ? typeName.TrimStart('#') : null;
        if (type is null || !family.AppIdentifierTypes.Contains(type, StringComparer.Ordinal) || !AppIdentifiers.TryGetValue(type, out var shape))
        {
            throw GraphException.BadRequest($"The app identifier type '{type}' cannot be targeted by a {family.EntityType}.", ErrorSource.Intune);
        }

        var key = identifier[shape.Property] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
        if (identifier.Any(p => p.Key != "@odata.type" && p.Key != shape.Property) || string.IsNullOrWhiteSpace(key))
        {
            throw GraphException.BadRequest($"A {type} needs '{shape.Property}' and nothing else.", ErrorSource.Intune);
        }

        return new JsonObject
        {
            ["@odata.type"] = "#microsoft.graph.managedMobileApp",
            ["mobileAppIdentifier"] = new JsonObject { ["@odata.type"] = "#" + type, [shape.Property] = key },
            ["id"] = $"{key}.{shape.Suffix}",
            ["version"] = app["version"]?.DeepClone(),
        };
    }

    private static void MarkAssigned(StoredResource resource)
    {
        if (resource.Data.ContainsKey("isAssigned"))
        {
            resource.Data["isAssigned"] = resource.Assignments.Count > 0;
        }
    }

    private static JsonObject BuildAssignment(GraphCall call, FamilyDefinition family, string policyId, JsonObject input)
    {
        if (input["target"] is not JsonObject target)
        {
            throw GraphException.BadRequest("An assignment needs a target.", ErrorSource.Intune);
        }

        var type = target["@odata.type"]?.GetValue<string>();
        if (type is null || !TargetTypes.Contains(type))
        {
            throw GraphException.BadRequest($"Unknown assignment target type '{type}'.", ErrorSource.Intune);
        }

        if (type.Contains("roupAssignmentTarget", StringComparison.Ordinal) && target["groupId"]?.GetValue<string>() is not { Length: > 0 })
        {
            throw GraphException.BadRequest("A group assignment target needs a groupId.", ErrorSource.Intune);
        }

        // Intune checks the references against the tenant: an id copied from another tenant is refused, not stored.
        if (target["groupId"]?.GetValue<string>() is { Length: > 0 } groupId && call.Tenant.Get(GraphFamilies.Groups, groupId) is null)
        {
            throw GraphException.BadRequest($"The group '{groupId}' of the assignment target does not exist in this tenant.", ErrorSource.Intune);
        }

        var filterType = target["deviceAndAppManagementAssignmentFilterType"]?.GetValue<string>() ?? "none";
        if (filterType is not ("none" or "include" or "exclude"))
        {
            throw GraphException.BadRequest($"Invalid deviceAndAppManagementAssignmentFilterType '{filterType}'.", ErrorSource.Intune);
        }

        if (filterType != "none" && target["deviceAndAppManagementAssignmentFilterId"]?.GetValue<string>() is { Length: > 0 } filterId
            && call.Tenant.Get(GraphFamilies.AssignmentFilters, filterId) is null)
        {
            throw GraphException.BadRequest($"The assignment filter '{filterId}' does not exist in this tenant.", ErrorSource.Intune);
        }

        var normalized = new JsonObject
        {
            ["@odata.type"] = type,
            ["deviceAndAppManagementAssignmentFilterId"] = target["deviceAndAppManagementAssignmentFilterId"]?.DeepClone(),
            ["deviceAndAppManagementAssignmentFilterType"] = filterType,
        };
        foreach (var (name, value) in target)
        {
            if (!normalized.ContainsKey(name))
            {
                normalized[name] = value?.DeepClone();
            }
        }

        var assignment = IntuneShapes.Assignment(family.Name, policyId, normalized, SeedRandom.IntuneTime(call.Now));
        foreach (var (name, value) in input)
        {
            if (name is not ("id" or "target" or "source" or "sourceId") && !name.Contains('@', StringComparison.Ordinal))
            {
                assignment[name] = value?.DeepClone();
            }
        }

        return assignment;
    }

    private static GraphResponse Settings(GraphCall call, FamilyDefinition family, string id, string? settingId)
    {
        lock (call.Tenant.Sync)
        {
            var resource = Find(call, family, id);
            if (settingId is null)
            {
                return PagedCollection(call, family, resource, "settings", resource.Settings);
            }

            var setting = resource.Settings.FirstOrDefault(s => s["id"]?.GetValue<string>() == settingId)
                ?? throw new GraphException(404, "ResourceNotFound", $"Resource not found: setting '{settingId}'.", ErrorSource.Intune);
            var json = (JsonObject)setting.DeepClone();
            json.Insert(0, "@odata.context", $"{call.Metadata}#{family.CollectionPath}('{resource.Id}')/settings/$entity");
            return new GraphResponse(200, json);
        }
    }

    private static GraphResponse ScheduledActions(GraphCall call, FamilyDefinition family, string id)
    {
        var query = ODataQuery.Parse(call.Request, null);
        var expand = new ExpandItem("scheduledActionsForRule", query.Expand.Count > 0 ? "$expand=" + string.Join(',', query.Expand.Select(e => e.Name)) : "");
        lock (call.Tenant.Sync)
        {
            var resource = Find(call, family, id);
            return Collection(
                call,
                $"{family.CollectionPath}('{resource.Id}')/scheduledActionsForRule",
                resource.ScheduledActionsForRule.Select(r => Projection.ScheduledAction(r, expand)));
        }
    }

    /// <summary>
    /// Administrative templates: definitionValues (list, one, create, update, delete), a value's definition,
    /// and its presentationValues — the chain of calls that makes admin templates a classic 429 source.
    /// </summary>
    private static GraphResponse DefinitionValues(GraphCall call, FamilyDefinition family, string id, IReadOnlyList<string> rest)
    {
        var method = call.Request.Method;
        var query = ODataQuery.Parse(call.Request, null);
        var expand = new ExpandItem("definitionValues", query.Expand.Count > 0 ? "$expand=" + ExpandText(query.Expand) : "");
        lock (call.Tenant.Sync)
        {
            var resource = Find(call, family, id);
            var basePath = $"{family.CollectionPath}('{resource.Id}')/definitionValues";
            if (rest.Count == 1 && method == "GET")
            {
                return Collection(call, basePath, resource.DefinitionValues.Select(d => Projection.DefinitionValue(d, expand)));
            }

            if (rest.Count == 1 && method == "POST")
            {
                var value = NewDefinitionValue(call);
                resource.DefinitionValues.Add(value);
                call.Tenant.Touch(family.Name, resource);
                var json = Projection.DefinitionValue(value, null);
                json.Insert(0, "@odata.context", $"{call.Metadata}#{basePath}/$entity");
                return new GraphResponse(201, json);
            }

            var valueId = rest[1];
            var stored = resource.DefinitionValues.FirstOrDefault(d => string.Equals(d["id"]?.GetValue<string>(), valueId, StringComparison.OrdinalIgnoreCase))
                ?? throw new GraphException(404, "ResourceNotFound", $"Resource not found: groupPolicyDefinitionValue with id '{valueId}'.", ErrorSource.Intune);
            switch (rest.Count, method)
            {
                case (2, "GET"):
                {
                    var json = Projection.DefinitionValue(stored, expand);
                    json.Insert(0, "@odata.context", $"{call.Metadata}#{basePath}/$entity");
                    return new GraphResponse(200, json);
                }

                case (2, "PATCH"):
                {
                    var body = CollectionHandlers.RequireObject(call, ErrorSource.Intune);
                    foreach (var (name, value) in body)
                    {
                        if (name is "enabled" or "configurationType")
                        {
                            stored[name] = value?.DeepClone();
                        }
                    }

                    stored["lastModifiedDateTime"] = SeedRandom.IntuneTime(call.Now);
                    call.Tenant.Touch(family.Name, resource);
                    return GraphResponse.NoContent();
                }

                case (2, "DELETE"):
                    resource.DefinitionValues.Remove(stored);
                    call.Tenant.Touch(family.Name, resource);
                    return GraphResponse.NoContent();
                case (3, "GET") when rest[2] == "definition":
                {
                    var json = (JsonObject)stored["definition"]!.DeepClone();
                    json.Insert(0, "@odata.context", $"{call.Metadata}#deviceManagement/groupPolicyDefinitions/$entity");
                    return new GraphResponse(200, json);
                }

                case (3, "GET") when rest[2] == "presentationValues":
                {
                    var withPresentation = query.Expand.Any(e => e.Name == "presentation");
                    var values = (stored["presentationValues"] as JsonArray ?? []).OfType<JsonObject>()
                        .Select(v => Projection.PresentationValue(v, withPresentation));
                    return Collection(call, $"{basePath}('{valueId}')/presentationValues", values);
                }

                default:
                    throw GraphException.SegmentNotFound(rest[^1]);
            }
        }
    }

    private static string ExpandText(IEnumerable<ExpandItem> items) =>
        string.Join(',', items.Select(e => e.Options.Length > 0 ? $"{e.Name}({e.Options})" : e.Name));

    /// <summary>A definition value from a restore-style body: "definition@odata.bind" and presentation values bound to presentations.</summary>
    private static JsonObject NewDefinitionValue(GraphCall call)
    {
        var body = CollectionHandlers.RequireObject(call, ErrorSource.Intune);
        var bind = body["definition@odata.bind"]?.GetValue<string>()
            ?? throw GraphException.BadRequest("A definition value needs 'definition@odata.bind'.", ErrorSource.Intune);
        var definition = AdministrativeTemplateCatalog.Find(KeyOf(bind, "groupPolicyDefinitions"))
            ?? throw GraphException.BadRequest($"The bound definition '{bind}' does not exist.", ErrorSource.Intune);
        var now = SeedRandom.IntuneTime(call.Now);
        var values = new JsonArray();
        foreach (var input in (body["presentationValues"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var presentationBind = input["presentation@odata.bind"]?.GetValue<string>()
                ?? throw GraphException.BadRequest("A presentation value needs 'presentation@odata.bind'.", ErrorSource.Intune);
            var presentation = definition.Presentations.FirstOrDefault(p => p.Id == KeyOf(presentationBind, "presentations"))
                ?? throw GraphException.BadRequest($"The bound presentation '{presentationBind}' does not belong to the definition.", ErrorSource.Intune);
            var value = new JsonObject
            {
                ["@odata.type"] = input["@odata.type"]?.DeepClone() ?? $"#microsoft.graph.groupPolicyPresentationValue{presentation.ValueType}",
                ["id"] = Guid.NewGuid().ToString(),
                ["lastModifiedDateTime"] = now,
                ["createdDateTime"] = now,
            };
            foreach (var (name, node) in input)
            {
                if (name is "value" or "values")
                {
                    value[name] = node?.DeepClone();
                }
            }

            value["presentation"] = AdministrativeTemplateCatalog.PresentationJson(presentation);
            values.Add(value);
        }

        return new JsonObject
        {
            ["createdDateTime"] = now,
            ["enabled"] = body["enabled"]?.GetValue<bool>() ?? true,
            ["configurationType"] = body["configurationType"]?.DeepClone() ?? "policy",
            ["id"] = Guid.NewGuid().ToString(),
            ["lastModifiedDateTime"] = now,
            ["definition"] = AdministrativeTemplateCatalog.DefinitionJson(definition),
            ["presentationValues"] = values,
        };
    }

    /// <summary>"…/groupPolicyDefinitions('abc')" → "abc".</summary>
    private static string KeyOf(string url, string segment)
    {
        var start = url.LastIndexOf(segment + "('", StringComparison.OrdinalIgnoreCase);
        if (start < 0)
        {
            var slash = url.LastIndexOf(segment + "/", StringComparison.OrdinalIgnoreCase);
            return slash < 0 ? url : url[(slash + segment.Length + 1)..].Split('/')[0];
        }

        start += segment.Length + 2;
        var end = url.IndexOf("')", start, StringComparison.Ordinal);
        return end < 0 ? url[start..] : url[start..end];
    }

    /// <summary>
    /// A navigation collection read page by page (<see cref="Paging.ExpandedPageSize"/>), continuing where an expanded
    /// collection's nextLink or the previous page left off.
    /// </summary>
    /// <summary>
    /// <c>POST {compliancePolicy}/setScheduledActions</c> with <c>{"scheduledActions": [...]}</c> (its reference page,
    /// intune-deviceconfigv2-devicemanagementcompliancepolicy-setscheduledactions): replaces the policy's actions for
    /// noncompliance, each rule with its <c>scheduledActionConfigurations</c>; answers the new set (200).
    /// </summary>
    private static GraphResponse SetScheduledActions(GraphCall call, FamilyDefinition family, string id)
    {
        var body = CollectionHandlers.RequireObject(call, ErrorSource.Intune);
        foreach (var (name, _) in body)
        {
            if (name != "scheduledActions")
            {
                throw GraphException.BadRequest($"The parameter '{name}' in the request payload is not a valid parameter for the operation 'setScheduledActions'.", ErrorSource.Intune);
            }
        }

        if (body["scheduledActions"] is not JsonArray { Count: > 0 } rules)
        {
            throw GraphException.BadRequest("A compliance policy needs its scheduledActions (at least the block action of the rule).", ErrorSource.Intune);
        }

        var stored = CollectionHandlers.ScheduledActionsFromBody(family, rules, ErrorSource.Intune);
        lock (call.Tenant.Sync)
        {
            var resource = Find(call, family, id);
            resource.ScheduledActionsForRule.Clear();
            resource.ScheduledActionsForRule.AddRange(stored);
            call.Tenant.Touch(family.Name, resource);
            var (ruleType, _) = CollectionHandlers.ScheduledActionTypes(family);
            return new GraphResponse(200, new JsonObject
            {
                ["@odata.context"] = $"{call.Metadata}#Collection({ruleType})",
                ["value"] = Projection.Json(stored.Select(r => r.DeepClone())),
            });
        }
    }

    private static GraphResponse DriverInventories(GraphCall call, FamilyDefinition family, string id)
    {
        lock (call.Tenant.Sync)
        {
            var resource = Find(call, family, id);
            return PagedCollection(call, family, resource, "driverInventories", resource.DriverInventories);
        }
    }

    private static readonly Dictionary<string, string> DriverActionStatus = new(StringComparer.Ordinal)
    {
        ["approve"] = "approved",
        ["decline"] = "declined",
        ["suspend"] = "suspended",
    };

    /// <summary>
    /// <c>POST {profile}/executeAction</c> with <c>actionName</c> (approve, decline, suspend), <c>driverIds</c> and
    /// <c>deploymentDate</c> (its reference page, intune-softwareupdate-windowsdriverupdateprofile-executeaction): sets each
    /// driver's approval state; answers a bulkDriverActionResult naming the drivers the profile's inventory lacks.
    /// </summary>
    private static GraphResponse ExecuteDriverAction(GraphCall call, FamilyDefinition family, string id)
    {
        var body = CollectionHandlers.RequireObject(call, ErrorSource.Intune);
        foreach (var (name, _) in body)
        {
            if (name is not ("actionName" or "driverIds" or "deploymentDate"))
            {
                throw GraphException.BadRequest($"The parameter '{name}' in the request payload is not a valid parameter for the operation 'executeAction'.", ErrorSource.Intune);
            }
        }

        var action = body["actionName"] is JsonValue a && a.TryGetValue<string>(out var text) ? text : null;
        if (action is null || !DriverActionStatus.TryGetValue(action, out var status))
        {
            throw GraphException.BadRequest($"The value '{action}' is not a valid driverApprovalAction (approve, decline, suspend).", ErrorSource.Intune);
        }

        if (body["driverIds"] is not JsonArray ids || ids.Count == 0 || ids.Any(i => i is not JsonValue v || !v.TryGetValue<string>(out _)))
        {
            throw GraphException.BadRequest("The parameter 'driverIds' must be a non-empty collection of driver ids.", ErrorSource.Intune);
        }

        string? deploymentDate = null;
        if (body["deploymentDate"] is { } date)
        {
            if (date is not JsonValue d || !d.TryGetValue<string>(out deploymentDate)
                || !DateTimeOffset.TryParse(deploymentDate, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out _))
            {
                throw GraphException.BadRequest("The parameter 'deploymentDate' must be a DateTimeOffset.", ErrorSource.Intune);
            }
        }
        else if (action == "approve")
        {
            throw GraphException.BadRequest("An approval needs a 'deploymentDate'.", ErrorSource.Intune);
        }

        lock (call.Tenant.Sync)
        {
            var resource = Find(call, family, id);
            var done = new JsonArray();
            var notFound = new JsonArray();
            foreach (var driverId in ids.Select(i => i!.GetValue<string>()))
            {
                var driver = resource.DriverInventories.FirstOrDefault(d => string.Equals(d["id"]?.GetValue<string>(), driverId, StringComparison.OrdinalIgnoreCase));
                if (driver is null)
                {
                    notFound.Add(driverId);
                    continue;
                }

                driver["approvalStatus"] = status;
                driver["deployDateTime"] = action == "approve" ? deploymentDate : driver["deployDateTime"]?.DeepClone();
                done.Add(driverId);
            }

            call.Tenant.Touch(family.Name, resource);
            return new GraphResponse(200, new JsonObject
            {
                ["@odata.context"] = $"{call.Metadata}#microsoft.graph.bulkDriverActionResult",
                ["successfulDriverIds"] = done,
                ["failedDriverIds"] = new JsonArray(),
                ["notFoundDriverIds"] = notFound,
            });
        }
    }

    /// <summary>A navigation collection below one item, paged like Graph's expanded collections (a skiptoken per page).</summary>
    public static GraphResponse PagedCollection(GraphCall call, FamilyDefinition family, StoredResource resource, string navigation, List<JsonObject> items)
    {
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

    /// <summary>
    /// <c>GET {configuration}/getOmaSettingPlainTextValue(secretReferenceValueId='…')</c>: the clear text of an encrypted
    /// OMA-URI value, as an <c>Edm.String</c> (Microsoft's reference: a 200 with <c>{"value": "…"}</c>).
    /// </summary>
    private static GraphResponse OmaSettingPlainTextValue(GraphCall call, FamilyDefinition family, string id, IReadOnlyList<string> rest)
    {
        const string parameter = "secretReferenceValueId=";
        if (rest.Count != 2 || !rest[1].StartsWith(parameter, StringComparison.OrdinalIgnoreCase))
        {
            throw GraphException.BadRequest("The parameter 'secretReferenceValueId' in the request URI is not valid for function 'microsoft.graph.getOmaSettingPlainTextValue'.", ErrorSource.Intune);
        }

        var reference = rest[1][parameter.Length..].Trim('\'');
        lock (call.Tenant.Sync)
        {
            var resource = Find(call, family, id);
            if (!resource.Secrets.TryGetValue(reference, out var plain))
            {
                throw new GraphException(404, "ResourceNotFound", $"Resource not found: secret reference '{reference}'.", ErrorSource.Intune);
            }

            return new GraphResponse(200, new JsonObject { ["@odata.context"] = $"{call.Metadata}#Edm.String", ["value"] = plain });
        }
    }

    private static GraphResponse Collection(GraphCall call, string contextPath, IEnumerable<JsonObject> items) =>
        new(200, new JsonObject
        {
            ["@odata.context"] = $"{call.Metadata}#{contextPath}",
            ["value"] = Projection.Json(items.Select(i => i.DeepClone())),
        });
}
