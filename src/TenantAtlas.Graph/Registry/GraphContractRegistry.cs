using System.Text.Json.Nodes;
using TenantAtlas.Graph.Contracts;

namespace TenantAtlas.Graph.Registry;

/// <summary>A request the registry accepts: the resource type (null for <c>$batch</c>) and the operation it performs.</summary>
internal sealed record GraphContractMatch(GraphResourceContract? Resource, GraphOperation Operation, string ApiVersion);

/// <summary>
/// The one place that lists what TenantAtlas may ask Graph (rule 7 of the architecture). Sources: GRAPH.md's endpoint
/// table, Microsoft's Graph reference, the public Intune backup tools.
/// </summary>
internal sealed class GraphContractRegistry : IGraphContracts
{
    public const string V1 = "v1.0";
    public const string Beta = "beta";

    /// <summary>Query options the gateway sends on reads (nextLinks and deltaLinks carry the same plus their tokens).</summary>
    private static readonly HashSet<string> ReadQueryOptions = new(StringComparer.OrdinalIgnoreCase)
    {
        "$select", "$expand", "$top", "$filter", "$skiptoken", "$deltatoken",
    };

    /// <summary>The function that answers an encrypted OMA-URI value in clear ("{key}": the value's <c>secretReferenceValueId</c>).</summary>
    public const string OmaPlainTextFunction = "getOmaSettingPlainTextValue(secretReferenceValueId='{key}')";

    private static readonly GraphOperation BatchOperation = new("POST", "$batch", GraphOperationKind.Batch);

    private static readonly string[] ConfigurationRead =
    [
        "DeviceManagementConfiguration.Read.All", "DeviceManagementConfiguration.ReadWrite.All",
    ];

    private static readonly string[] ConfigurationWrite = ["DeviceManagementConfiguration.ReadWrite.All"];

    private static readonly string[] AppsRead = ["DeviceManagementApps.Read.All", "DeviceManagementApps.ReadWrite.All"];

    private static readonly string[] AppsWrite = ["DeviceManagementApps.ReadWrite.All"];

    private static readonly string[] ServiceConfigRead =
    [
        "DeviceManagementServiceConfig.Read.All", "DeviceManagementServiceConfig.ReadWrite.All",
    ];

    /// <summary>What Microsoft's reference names for macOS shell scripts and compliance scripts.</summary>
    private static readonly string[] ManagedDevicesRead =
    [
        "DeviceManagementManagedDevices.Read.All", "DeviceManagementManagedDevices.ReadWrite.All",
    ];

    private static readonly string[] ManagedDevicesWrite = ["DeviceManagementManagedDevices.ReadWrite.All"];

    private static readonly string[] ConditionalAccessRead = ["Policy.Read.All", "Policy.ReadWrite.ConditionalAccess"];

    private static readonly string[] ConditionalAccessWrite = ["Policy.ReadWrite.ConditionalAccess"];

    private const string ConditionalAccessCrossTenant =
        "a Conditional Access policy names users, groups, roles and named locations by their ids in this tenant, which another tenant does not have; restore it into the tenant it was backed up from.";

    private static readonly string[] RbacRead = ["DeviceManagementRBAC.Read.All", "DeviceManagementRBAC.ReadWrite.All"];

    /// <summary>App protection's targeted apps (Graph pages a long list: its nextLink reads this navigation).</summary>
    private const string AppsNavigation = GraphResourceContract.AppsProperty;

    /// <summary>
    /// Windows Information Protection's AppLocker files, backed up with the policy and written below it: created and deleted
    /// only, matched whole (Graph has no PATCH for a file).
    /// </summary>
    private static readonly GraphChildCollection[] WipAppLockerFiles = [new("protectedAppLockerFiles"), new("exemptAppLockerFiles")];

    private const string WipExpand = "protectedAppLockerFiles,exemptAppLockerFiles,assignments";

    private const string PolicySetCrossTenant =
        "a policy set names its apps, configurations and policies by their ids in this tenant (each item's payloadId), which another tenant does not have; restore it into the tenant it was backed up from.";

    /// <summary>The mobileApps listing's <c>$filter</c>: apps the tenant added (not a managed app, or a line-of-business one) or assigned.</summary>
    public const string MobileAppsFilter =
        "(microsoft.graph.managedApp/appAvailability eq null or microsoft.graph.managedApp/appAvailability eq 'lineOfBusiness' or isAssigned eq true)";

    private static readonly string[] Summary = ["id", "displayName", "description", "createdDateTime", "lastModifiedDateTime", "roleScopeTagIds"];

    private readonly List<GraphResourceContract> all;
    private readonly Dictionary<string, GraphResourceContract> byKey;

    public GraphContractRegistry(int groupsPageSize = 999)
    {
        all = Build(groupsPageSize);
        byKey = all.ToDictionary(c => c.Key, StringComparer.OrdinalIgnoreCase);
    }

    public IReadOnlyList<GraphResourceContract> Contracts => all;

    IReadOnlyList<GraphResourceInfo> IGraphContracts.All => [.. all.Select(c => c.ToInfo())];

    public IReadOnlyList<GraphResourceInfo> PolicyFamilies =>
        [.. all.Where(c => (c.Kind == GraphResourceKind.PolicyFamily || c.BackedUp) && !c.Retired).Select(c => c.ToInfo())];

    public IReadOnlyList<GraphFamilyGroupInfo> PolicyFamilyGroups
    {
        get
        {
            var families = PolicyFamilies;
            return
            [
                .. GraphFamilyGroups.InOrder
                    .Select(g => new GraphFamilyGroupInfo(g, [.. families.Where(f => f.Group == g)]))
                    .Where(g => g.Families.Count > 0),
            ];
        }
    }

    public GraphResourceInfo? Find(string key) => byKey.TryGetValue(key, out var contract) ? contract.ToInfo() : null;

    public GraphResourceContract? Get(string key) => byKey.GetValueOrDefault(key);

    /// <summary>The contract for a key, or the gateway's refusal (nothing is sent).</summary>
    public GraphResourceContract Require(string key, params GraphResourceKind[] kinds)
    {
        // A type backed up in its own right is read and written like a policy family, whatever its kind.
        if (byKey.TryGetValue(key, out var contract)
            && (kinds.Length == 0 || kinds.Contains(contract.Kind) || (contract.BackedUp && kinds.Contains(GraphResourceKind.PolicyFamily))))
        {
            return contract;
        }

        throw new GraphRequestException(
            GraphFailureKind.NotInRegistry,
            "notInRegistry",
            kinds.Length == 0
                ? $"'{key}' is not a resource type in the Graph contract registry."
                : $"'{key}' is not a resource type of kind {string.Join(" or ", kinds)} in the Graph contract registry.")
        {
            ResourceKey = key,
        };
    }

    /// <summary>
    /// Which registry entry a request is: <paramref name="pathAndQuery"/> is "/{version}/{path}[?{query}]" as Graph sees it
    /// (also the emulator's request log format). Null when the registry does not list it.
    /// </summary>
    public GraphContractMatch? Match(string method, string pathAndQuery)
    {
        var question = pathAndQuery.IndexOf('?', StringComparison.Ordinal);
        var path = Uri.UnescapeDataString(question < 0 ? pathAndQuery : pathAndQuery[..question]);
        var query = question < 0 ? "" : pathAndQuery[(question + 1)..];
        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries).SelectMany(KeySegments).Select(NormalizeSegment).ToArray();
        if (segments.Length < 2 || segments[0] is not (V1 or Beta))
        {
            return null;
        }

        var version = segments[0];
        var rest = segments[1..];
        method = method.ToUpperInvariant();
        if (rest.Length == 1 && rest[0] == "$batch")
        {
            return method == "POST" && query.Length == 0 ? new GraphContractMatch(null, BatchOperation, version) : null;
        }

        foreach (var contract in all)
        {
            if (!string.Equals(contract.ApiVersion, version, StringComparison.Ordinal))
            {
                continue;
            }

            if (MatchBelow(contract.CollectionPath, contract.Operations, rest, method, query) is { } operation)
            {
                return new GraphContractMatch(contract, operation, version);
            }

            // Intents are created below their template: that request belongs to the intents' entry.
            if (contract.TemplateInstance is { } template
                && MatchBelow(template.TemplatesPath, contract.TemplateOperations, rest, method, query) is { } templateOperation)
            {
                return new GraphContractMatch(contract, templateOperation, version);
            }
        }

        return null;
    }

    private static GraphOperation? MatchBelow(string root, IReadOnlyList<GraphOperation> operations, string[] rest, string method, string query)
    {
        var collection = root.Split('/');
        if (rest.Length < collection.Length
            || !collection.Select((s, i) => string.Equals(s, rest[i], StringComparison.OrdinalIgnoreCase)).All(x => x))
        {
            return null;
        }

        var relative = rest[collection.Length..];
        return operations.FirstOrDefault(o => o.Method == method && TemplateMatches(o.Segments, relative) && QueryAllowed(o, query));
    }

    /// <summary>
    /// A backed-up object made fit for POST/PATCH/PUT: server-managed properties and OData annotations (except
    /// <c>@odata.type</c>) removed, navigation collections restore writes separately removed, and for PUT only the
    /// properties the update takes. (Restore uses this; reads never do.)
    /// </summary>
    public static JsonObject PrepareForWrite(GraphResourceContract contract, JsonObject source, bool forUpdate)
    {
        var body = (JsonObject)source.DeepClone();
        foreach (var name in body.Select(p => p.Key).ToList())
        {
            var annotation = name.Contains('@', StringComparison.Ordinal) && name != "@odata.type";
            if (annotation || contract.StripBeforeWrite.Contains(name, StringComparer.Ordinal) || name == "assignments")
            {
                body.Remove(name);
            }
        }

        if (forUpdate && contract.UpdateMethod == "PUT" && contract.UpdateBodyProperties is { } allowed)
        {
            foreach (var name in body.Select(p => p.Key).Where(n => !allowed.Contains(n, StringComparer.Ordinal)).ToList())
            {
                body.Remove(name);
            }
        }

        return body;
    }

    /// <summary>"delta()" and "microsoft.graph.delta" are Graph's spellings of the delta function.</summary>
    private static string NormalizeSegment(string segment) =>
        segment switch
        {
            "delta()" or "microsoft.graph.delta" or "microsoft.graph.delta()" => "delta",
            _ => segment,
        };

    /// <summary>
    /// OData's key syntax "configurationPolicies('abc')" (in Graph's nextLinks of expanded collections) is the same
    /// request as "configurationPolicies/abc". Function calls with named parameters stay one segment.
    /// </summary>
    private static IEnumerable<string> KeySegments(string segment)
    {
        var open = segment.IndexOf("('", StringComparison.Ordinal);
        if (open > 0 && segment.EndsWith("')", StringComparison.Ordinal) && segment.IndexOfAny(['=', '/'], open) < 0)
        {
            var key = segment[(open + 2)..^2];
            if (key.Length > 0 && !key.Contains('\'', StringComparison.Ordinal))
            {
                return [segment[..open], key];
            }
        }

        return [segment];
    }

    /// <summary>A template segment with "{key}" inside (a function parameter) matches a plain id-like value there.</summary>
    private static bool KeyTemplateMatches(string template, string segment)
    {
        var at = template.IndexOf("{key}", StringComparison.Ordinal);
        var prefix = template[..at];
        var suffix = template[(at + "{key}".Length)..];
        if (segment.Length <= prefix.Length + suffix.Length
            || !segment.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)
            || !segment.EndsWith(suffix, StringComparison.Ordinal))
        {
            return false;
        }

        return segment[prefix.Length..^suffix.Length].All(c => char.IsAsciiLetterOrDigit(c) || c == '-');
    }

    private static bool TemplateMatches(string[] template, string[] segments)
    {
        if (template.Length != segments.Length)
        {
            return false;
        }

        for (var i = 0; i < template.Length; i++)
        {
            var ok = template[i] == "{id}"
                ? segments[i].Length > 0 && !segments[i].Contains('(', StringComparison.Ordinal) && !segments[i].StartsWith('$')
                : template[i].Contains("{key}", StringComparison.Ordinal)
                    ? KeyTemplateMatches(template[i], segments[i])
                    : string.Equals(template[i], segments[i], StringComparison.OrdinalIgnoreCase);
            if (!ok)
            {
                return false;
            }
        }

        return true;
    }

    private static bool QueryAllowed(GraphOperation operation, string query)
    {
        if (query.Length == 0)
        {
            return true;
        }

        if (operation.Method != "GET")
        {
            return false;
        }

        foreach (var pair in query.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var name = Uri.UnescapeDataString(pair.Split('=', 2)[0]);
            if (!ReadQueryOptions.Contains(name))
            {
                return false;
            }

            var isToken = name.Equals("$skiptoken", StringComparison.OrdinalIgnoreCase) || name.Equals("$deltatoken", StringComparison.OrdinalIgnoreCase);
            if (isToken && operation.Kind is not (GraphOperationKind.List or GraphOperationKind.Delta or GraphOperationKind.ReadNavigation))
            {
                return false;
            }

            if (name.Equals("$deltatoken", StringComparison.OrdinalIgnoreCase) && operation.Kind != GraphOperationKind.Delta)
            {
                return false;
            }
        }

        return true;
    }

    private static List<GraphResourceContract> Build(int groupsPageSize) =>
    [
        new()
        {
            Key = GraphResourceKeys.DeviceConfigurations,
            Label = "Device configurations",
            Kind = GraphResourceKind.PolicyFamily,
            Group = GraphFamilyGroup.Configuration,
            ApiVersion = Beta,
            CollectionPath = "deviceManagement/deviceConfigurations",
            ListSelect = [.. Summary, "version"],
            ListExpand = "assignments",
            GetExpand = "assignments",
            // Encrypted OMA-URI values of custom profiles: their clear text, read one by one.
            ReadNavigations = [OmaPlainTextFunction],
            HasAssignments = true,
            CreateMethod = "POST",
            UpdateMethod = "PATCH",
            AssignAction = "assign",
            ReadPermissions = ConfigurationRead,
            WritePermissions = ConfigurationWrite,
        },
        new()
        {
            Key = GraphResourceKeys.DeviceCompliancePolicies,
            Label = "Compliance policies",
            Kind = GraphResourceKind.PolicyFamily,
            Group = GraphFamilyGroup.Compliance,
            ApiVersion = Beta,
            CollectionPath = "deviceManagement/deviceCompliancePolicies",
            ListSelect = [.. Summary, "version"],
            ListExpand = "assignments",
            GetExpand = "assignments,scheduledActionsForRule($expand=scheduledActionConfigurations)",
            HasAssignments = true,
            CreateMethod = "POST",
            UpdateMethod = "PATCH",
            AssignAction = "assign",
            ReadPermissions = ConfigurationRead,
            WritePermissions = ConfigurationWrite,
        },
        new()
        {
            Key = GraphResourceKeys.ConfigurationPolicies,
            Label = "Settings catalog",
            Kind = GraphResourceKind.PolicyFamily,
            Group = GraphFamilyGroup.Configuration,
            ApiVersion = Beta,
            CollectionPath = "deviceManagement/configurationPolicies",
            ListSelect =
            [
                "id", "name", "description", "platforms", "technologies", "createdDateTime", "lastModifiedDateTime", "roleScopeTagIds",
                "settingCount", "templateReference",
            ],
            ListExpand = "assignments",
            GetExpand = "assignments,settings",
            ReadNavigations = ["settings"],
            DisplayNameProperty = "name",
            HasAssignments = true,
            CreateMethod = "POST",
            UpdateMethod = "PUT",
            UpdateBodyProperties = ["name", "description", "platforms", "technologies", "templateReference", "settings", "roleScopeTagIds"],
            AssignAction = "assign",
            ReadPermissions = ConfigurationRead,
            WritePermissions = ConfigurationWrite,
        },
        new()
        {
            Key = GraphResourceKeys.GroupPolicyConfigurations,
            Label = "Administrative templates",
            Kind = GraphResourceKind.PolicyFamily,
            Group = GraphFamilyGroup.Configuration,
            ApiVersion = Beta,
            CollectionPath = "deviceManagement/groupPolicyConfigurations",
            ListSelect = Summary,
            ListExpand = "assignments",
            GetExpand = "assignments",
            ReadNavigations = ["definitionValues", "definitionValues/{id}/presentationValues"],
            HasAssignments = true,
            CreateMethod = "POST",
            UpdateMethod = "PATCH",
            AssignAction = "assign",
            WriteNavigations = ["definitionValues"],
            ExtraStripBeforeWrite = ["definitionValues"],
            ReadPermissions = ConfigurationRead,
            WritePermissions = ConfigurationWrite,
        },
        new()
        {
            Key = GraphResourceKeys.DeviceManagementScripts,
            Label = "Scripts",
            Kind = GraphResourceKind.PolicyFamily,
            Group = GraphFamilyGroup.Scripts,
            ApiVersion = Beta,
            CollectionPath = "deviceManagement/deviceManagementScripts",
            // scriptContent (base64) comes only from the single-object read.
            ListSelect = [.. Summary, "fileName", "runAsAccount"],
            ListExpand = "assignments",
            GetExpand = "assignments",
            HasAssignments = true,
            CreateMethod = "POST",
            UpdateMethod = "PATCH",
            AssignAction = "assign",
            AssignBodyProperty = "deviceManagementScriptAssignments",
            ReadPermissions =
            [
                "DeviceManagementScripts.Read.All", "DeviceManagementScripts.ReadWrite.All", .. ConfigurationRead,
            ],
            WritePermissions = ["DeviceManagementScripts.ReadWrite.All", .. ConfigurationWrite],
        },
        new()
        {
            Key = GraphResourceKeys.MobileAppConfigurations,
            Label = "App configuration policies",
            Kind = GraphResourceKind.PolicyFamily,
            Group = GraphFamilyGroup.Apps,
            ApiVersion = Beta,
            CollectionPath = "deviceAppManagement/mobileAppConfigurations",
            ListSelect = [.. Summary, "version", "targetedMobileApps"],
            ListExpand = "assignments",
            GetExpand = "assignments",
            HasAssignments = true,
            CreateMethod = "POST",
            UpdateMethod = "PATCH",
            AssignAction = "assign",
            ReadPermissions = AppsRead,
            WritePermissions = AppsWrite,
        },
        new()
        {
            // Retired (issue 16): Graph does not expand the apps and assignments of every type on the abstract
            // collection; the platform families below read them. Kept so backups taken of it stay readable.
            Key = GraphResourceKeys.ManagedAppPolicies,
            Label = "App protection policies (retired)",
            Kind = GraphResourceKind.PolicyFamily,
            Group = GraphFamilyGroup.Apps,
            ApiVersion = Beta,
            CollectionPath = "deviceAppManagement/managedAppPolicies",
            ListSelect = [.. Summary, "version"],
            ListExpand = "assignments",
            GetExpand = "assignments",
            HasAssignments = true,
            Retired = true,
            NotRestorableReason =
                "this backup read app protection through the abstract managedAppPolicies collection, which lacks the protected apps. "
                + "Take a new backup: it reads iOS, Android and app configuration (MAM) policies through their own endpoints, which restore brings back.",
            ReadPermissions = AppsRead,
            WritePermissions = AppsWrite,
        },
        new()
        {
            // App protection (iOS): the protected apps are the apps navigation, read with $expand and written with
            // targetApps after the create or update; assigned with assign (targetedManagedAppPolicyAssignment).
            Key = GraphResourceKeys.IosManagedAppProtections,
            Label = "App protection (iOS)",
            Kind = GraphResourceKind.PolicyFamily,
            Group = GraphFamilyGroup.Apps,
            ApiVersion = Beta,
            CollectionPath = "deviceAppManagement/iosManagedAppProtections",
            ListSelect = [.. Summary, "version", "targetedAppManagementLevels"],
            ListExpand = "apps,assignments",
            GetExpand = "apps,assignments",
            ReadNavigations = [AppsNavigation],
            HasAssignments = true,
            CreateMethod = "POST",
            UpdateMethod = "PATCH",
            AssignAction = "assign",
            TargetAppsAction = "targetApps",
            ExtraStripBeforeWrite = ["deployedAppCount"],
            ReadPermissions = AppsRead,
            WritePermissions = AppsWrite,
        },
        new()
        {
            Key = GraphResourceKeys.AndroidManagedAppProtections,
            Label = "App protection (Android)",
            Kind = GraphResourceKind.PolicyFamily,
            Group = GraphFamilyGroup.Apps,
            ApiVersion = Beta,
            CollectionPath = "deviceAppManagement/androidManagedAppProtections",
            ListSelect = [.. Summary, "version", "targetedAppManagementLevels"],
            ListExpand = "apps,assignments",
            GetExpand = "apps,assignments",
            ReadNavigations = [AppsNavigation],
            HasAssignments = true,
            CreateMethod = "POST",
            UpdateMethod = "PATCH",
            AssignAction = "assign",
            TargetAppsAction = "targetApps",
            ExtraStripBeforeWrite = ["deployedAppCount"],
            ReadPermissions = AppsRead,
            WritePermissions = AppsWrite,
        },
        new()
        {
            // App protection (Windows, MAM for Edge): as iOS and Android; the apps are named by windowsAppIdentifier.
            Key = GraphResourceKeys.WindowsManagedAppProtections,
            Label = "App protection (Windows)",
            Kind = GraphResourceKind.PolicyFamily,
            Group = GraphFamilyGroup.Apps,
            ApiVersion = Beta,
            CollectionPath = "deviceAppManagement/windowsManagedAppProtections",
            ListSelect = [.. Summary, "version"],
            ListExpand = "apps,assignments",
            GetExpand = "apps,assignments",
            ReadNavigations = [AppsNavigation],
            HasAssignments = true,
            CreateMethod = "POST",
            UpdateMethod = "PATCH",
            AssignAction = "assign",
            TargetAppsAction = "targetApps",
            ExtraStripBeforeWrite = ["deployedAppCount"],
            ReadPermissions = AppsRead,
            WritePermissions = AppsWrite,
        },
        new()
        {
            // Windows Information Protection without enrollment (MAM). Microsoft retired WIP; kept restorable while Graph
            // still takes the writes. The AppLocker files (XML of a few KB) are navigations of their own, written one by
            // one below the policy; assigned with the assign action of windowsInformationProtection.
            Key = GraphResourceKeys.WindowsInformationProtectionPolicies,
            Label = "Windows Information Protection without enrollment (deprecated by Microsoft)",
            Kind = GraphResourceKind.PolicyFamily,
            Group = GraphFamilyGroup.Apps,
            ApiVersion = Beta,
            CollectionPath = "deviceAppManagement/windowsInformationProtectionPolicies",
            ListSelect = [.. Summary, "version", "enforcementLevel"],
            ListExpand = "assignments",
            GetExpand = WipExpand,
            HasAssignments = true,
            CreateMethod = "POST",
            UpdateMethod = "PATCH",
            AssignAction = "assign",
            ChildCollections = WipAppLockerFiles,
            ReadPermissions = AppsRead,
            WritePermissions = AppsWrite,
        },
        new()
        {
            // Windows Information Protection with enrollment (MDM): the same policy for enrolled devices; retired by Microsoft too.
            Key = GraphResourceKeys.MdmWindowsInformationProtectionPolicies,
            Label = "Windows Information Protection with enrollment (deprecated by Microsoft)",
            Kind = GraphResourceKind.PolicyFamily,
            Group = GraphFamilyGroup.Apps,
            ApiVersion = Beta,
            CollectionPath = "deviceAppManagement/mdmWindowsInformationProtectionPolicies",
            ListSelect = [.. Summary, "version", "enforcementLevel"],
            ListExpand = "assignments",
            GetExpand = WipExpand,
            HasAssignments = true,
            CreateMethod = "POST",
            UpdateMethod = "PATCH",
            AssignAction = "assign",
            ChildCollections = WipAppLockerFiles,
            ReadPermissions = AppsRead,
            WritePermissions = AppsWrite,
        },
        new()
        {
            // Policy sets bundle objects of every group (configurations, compliance, apps, app protection, enrollment), so
            // they sit under Tenant-wide. Each item names its object by payloadId; Graph has no assign action for a set:
            // the update action takes its assignments and, separately, its added, updated and deleted items. The status
            // and error code are Intune's validation of the set. Restored only into the tenant it was backed up from.
            Key = GraphResourceKeys.PolicySets,
            Label = "Policy sets",
            Kind = GraphResourceKind.PolicyFamily,
            Group = GraphFamilyGroup.TenantWide,
            ApiVersion = Beta,
            CollectionPath = "deviceAppManagement/policySets",
            // Policy sets carry roleScopeTags, not roleScopeTagIds.
            ListSelect = ["id", "displayName", "description", "createdDateTime", "lastModifiedDateTime", "roleScopeTags", "status"],
            ListExpand = "assignments",
            GetExpand = "items,assignments",
            HasAssignments = true,
            CreateMethod = "POST",
            UpdateMethod = "PATCH",
            AssignAction = "update",
            // The items, matched on the object they name, are added, updated and deleted in one call of the update action.
            ChildCollections =
            [
                new("items")
                {
                    KeyProperty = "payloadId",
                    Updates = true,
                    WriteAction = new("update", "addedPolicySetItems", "updatedPolicySetItems", "deletedPolicySetItems"),
                },
            ],
            ExtraStripBeforeWrite = ["status", "errorCode"],
            CrossTenantRestoreBlockedReason = PolicySetCrossTenant,
            ReadPermissions = ConfigurationRead,
            WritePermissions = ConfigurationWrite,
        },
        new()
        {
            // App configuration for managed apps (MAM): custom settings per targeted app; apps and assignments as for app protection.
            Key = GraphResourceKeys.TargetedManagedAppConfigurations,
            Label = "App configuration (managed apps)",
            Kind = GraphResourceKind.PolicyFamily,
            Group = GraphFamilyGroup.Apps,
            ApiVersion = Beta,
            CollectionPath = "deviceAppManagement/targetedManagedAppConfigurations",
            ListSelect = [.. Summary, "version"],
            ListExpand = "apps,assignments",
            GetExpand = "apps,assignments",
            ReadNavigations = [AppsNavigation],
            HasAssignments = true,
            CreateMethod = "POST",
            UpdateMethod = "PATCH",
            AssignAction = "assign",
            TargetAppsAction = "targetApps",
            ExtraStripBeforeWrite = ["deployedAppCount"],
            ReadPermissions = AppsRead,
            WritePermissions = AppsWrite,
        },
        new()
        {
            // Apps, for their assignments: the metadata and assignments are JSON, the package (a Win32 .intunewin, an MSI,
            // the store's listing) is not — Graph uploads it through content versions and files, which a backup cannot hold.
            Key = GraphResourceKeys.MobileApps,
            Label = "Apps (assignments)",
            Kind = GraphResourceKind.PolicyFamily,
            Group = GraphFamilyGroup.Apps,
            ApiVersion = Beta,
            CollectionPath = "deviceAppManagement/mobileApps",
            ListSelect = ["id", "displayName", "description", "publisher", "createdDateTime", "lastModifiedDateTime", "roleScopeTagIds", "isAssigned"],
            // The Intune admin center's own filter: the tenant's apps (store and line-of-business apps it added) and any
            // app it assigned, without Microsoft's built-in managed apps ("global") that nobody assigned.
            ListFilter = MobileAppsFilter,
            ListExpand = "assignments",
            GetExpand = "assignments",
            HasAssignments = true,
            NotRestorableReason =
                "an app's package (installer, store listing, detection files) is not part of Graph's JSON, so a backup holds only its "
                + "settings and assignments: add the app in Intune, then assign it as the backup shows.",
            ReadPermissions = AppsRead,
            WritePermissions = AppsWrite,
        },
        new()
        {
            Key = GraphResourceKeys.WindowsAutopilotDeploymentProfiles,
            Label = "Autopilot profiles",
            Kind = GraphResourceKind.PolicyFamily,
            Group = GraphFamilyGroup.Enrollment,
            ApiVersion = Beta,
            CollectionPath = "deviceManagement/windowsAutopilotDeploymentProfiles",
            ListSelect = Summary,
            ListExpand = "assignments",
            GetExpand = "assignments",
            HasAssignments = true,
            CreateMethod = "POST",
            UpdateMethod = "PATCH",
            AssignAction = "assign",
            ReadPermissions = ServiceConfigRead,
            WritePermissions = ["DeviceManagementServiceConfig.ReadWrite.All"],
        },
        new()
        {
            // Remediations: detection and remediation scripts (base64, only from the single-object read); each assignment
            // carries its run schedule and whether the remediation runs. Microsoft's global scripts read back with
            // isGlobalScript, which a create must not send: restore brings them back as the tenant's own copy.
            Key = GraphResourceKeys.DeviceHealthScripts,
            Label = "Remediations",
            Kind = GraphResourceKind.PolicyFamily,
            Group = GraphFamilyGroup.Scripts,
            ApiVersion = Beta,
            CollectionPath = "deviceManagement/deviceHealthScripts",
            ListSelect = [.. Summary, "version", "publisher", "runAsAccount"],
            ListExpand = "assignments",
            GetExpand = "assignments",
            HasAssignments = true,
            CreateMethod = "POST",
            UpdateMethod = "PATCH",
            AssignAction = "assign",
            AssignBodyProperty = "deviceHealthScriptAssignments",
            ExtraStripBeforeWrite = ["isGlobalScript", "highestAvailableVersion"],
            ReadPermissions = ConfigurationRead,
            WritePermissions = ConfigurationWrite,
        },
        new()
        {
            // macOS shell scripts: scriptContent (base64) only from the single-object read; assigned like Windows scripts.
            Key = GraphResourceKeys.DeviceShellScripts,
            Label = "macOS shell scripts",
            Kind = GraphResourceKind.PolicyFamily,
            Group = GraphFamilyGroup.Scripts,
            ApiVersion = Beta,
            CollectionPath = "deviceManagement/deviceShellScripts",
            ListSelect = [.. Summary, "fileName", "runAsAccount"],
            ListExpand = "assignments",
            GetExpand = "assignments",
            HasAssignments = true,
            CreateMethod = "POST",
            UpdateMethod = "PATCH",
            AssignAction = "assign",
            AssignBodyProperty = "deviceManagementScriptAssignments",
            ReadPermissions = ManagedDevicesRead,
            WritePermissions = ManagedDevicesWrite,
        },
        new()
        {
            // macOS custom attributes: a shell script (base64, single-object read only) and the attribute's name and type.
            Key = GraphResourceKeys.DeviceCustomAttributeShellScripts,
            Label = "macOS custom attributes",
            Kind = GraphResourceKind.PolicyFamily,
            Group = GraphFamilyGroup.Scripts,
            ApiVersion = Beta,
            CollectionPath = "deviceManagement/deviceCustomAttributeShellScripts",
            ListSelect = [.. Summary, "fileName", "runAsAccount", "customAttributeName", "customAttributeType"],
            ListExpand = "assignments",
            GetExpand = "assignments",
            HasAssignments = true,
            CreateMethod = "POST",
            UpdateMethod = "PATCH",
            AssignAction = "assign",
            AssignBodyProperty = "deviceManagementScriptAssignments",
            ReadPermissions = ManagedDevicesRead,
            WritePermissions = ManagedDevicesWrite,
        },
        new()
        {
            // Custom compliance scripts: the detection script (base64) only from the single-object read; assigned with
            // remediations' assignment shape (deviceHealthScriptAssignments).
            Key = GraphResourceKeys.DeviceComplianceScripts,
            Label = "Compliance scripts",
            Kind = GraphResourceKind.PolicyFamily,
            Group = GraphFamilyGroup.Compliance,
            ApiVersion = Beta,
            CollectionPath = "deviceManagement/deviceComplianceScripts",
            ListSelect = [.. Summary, "version", "publisher", "runAsAccount"],
            ListExpand = "assignments",
            GetExpand = "assignments",
            HasAssignments = true,
            CreateMethod = "POST",
            UpdateMethod = "PATCH",
            AssignAction = "assign",
            AssignBodyProperty = "deviceHealthScriptAssignments",
            ReadPermissions = ManagedDevicesRead,
            WritePermissions = ManagedDevicesWrite,
        },
        new()
        {
            // Windows feature update profiles: which Windows release devices move to. Intune derives the release's display
            // name and end of support from featureUpdateVersion, so a write leaves them out.
            Key = GraphResourceKeys.WindowsFeatureUpdateProfiles,
            Label = "Feature updates",
            Kind = GraphResourceKind.PolicyFamily,
            Group = GraphFamilyGroup.Updates,
            ApiVersion = Beta,
            CollectionPath = "deviceManagement/windowsFeatureUpdateProfiles",
            ListSelect = [.. Summary, "featureUpdateVersion"],
            ListExpand = "assignments",
            GetExpand = "assignments",
            HasAssignments = true,
            CreateMethod = "POST",
            UpdateMethod = "PATCH",
            AssignAction = "assign",
            ExtraStripBeforeWrite = ["deployableContentDisplayName", "endOfSupportDate"],
            ReadPermissions = ConfigurationRead,
            WritePermissions = ConfigurationWrite,
        },
        new()
        {
            // Quality update profiles (expedited quality updates): the release and the forced-reboot grace period; the
            // release's display names are Intune's own.
            Key = GraphResourceKeys.WindowsQualityUpdateProfiles,
            Label = "Quality updates",
            Kind = GraphResourceKind.PolicyFamily,
            Group = GraphFamilyGroup.Updates,
            ApiVersion = Beta,
            CollectionPath = "deviceManagement/windowsQualityUpdateProfiles",
            ListSelect = [.. Summary, "expeditedUpdateSettings"],
            ListExpand = "assignments",
            GetExpand = "assignments",
            HasAssignments = true,
            CreateMethod = "POST",
            UpdateMethod = "PATCH",
            AssignAction = "assign",
            ExtraStripBeforeWrite = ["releaseDateDisplayName", "deployableContentDisplayName"],
            ReadPermissions = ConfigurationRead,
            WritePermissions = ConfigurationWrite,
        },
        new()
        {
            // Driver update profiles: approval type and deferral. Device counts and the inventory sync status are
            // reports Intune keeps. The drivers (driverInventories, with their approval state) are backed up with the
            // profile; a restore approves with executeAction those approved in the backup that the target's inventory has.
            Key = GraphResourceKeys.WindowsDriverUpdateProfiles,
            Label = "Driver updates",
            Kind = GraphResourceKind.PolicyFamily,
            Group = GraphFamilyGroup.Updates,
            ApiVersion = Beta,
            CollectionPath = "deviceManagement/windowsDriverUpdateProfiles",
            ListSelect = [.. Summary, "approvalType", "deploymentDeferralInDays"],
            ListExpand = "assignments",
            GetExpand = "assignments",
            ReadNavigations = [GraphResourceContract.DriverInventoriesProperty],
            DriverApprovalAction = "executeAction",
            HasAssignments = true,
            CreateMethod = "POST",
            UpdateMethod = "PATCH",
            AssignAction = "assign",
            ExtraStripBeforeWrite = ["deviceReporting", "newUpdates", "inventorySyncStatus"],
            ReadPermissions = ConfigurationRead,
            WritePermissions = ConfigurationWrite,
        },
        new()
        {
            // Compliance policies of the settings catalog (Linux, newer platforms): settings like configurationPolicies and
            // the actions for noncompliance like deviceCompliancePolicies. A create carries both; the update is a PUT of
            // the settings-catalog properties followed by setScheduledActions, so both end as backed up.
            Key = GraphResourceKeys.CompliancePolicies,
            Label = "Compliance policies (settings catalog)",
            Kind = GraphResourceKind.PolicyFamily,
            Group = GraphFamilyGroup.Compliance,
            ApiVersion = Beta,
            CollectionPath = "deviceManagement/compliancePolicies",
            ListSelect = ["id", "name", "description", "platforms", "technologies", "createdDateTime", "lastModifiedDateTime", "roleScopeTagIds", "settingCount"],
            ListExpand = "assignments",
            GetExpand = "assignments,settings,scheduledActionsForRule($expand=scheduledActionConfigurations)",
            ReadNavigations = ["settings"],
            DisplayNameProperty = "name",
            HasAssignments = true,
            CreateMethod = "POST",
            UpdateMethod = "PUT",
            UpdateBodyProperties = ["name", "description", "platforms", "technologies", "settings", "roleScopeTagIds"],
            ScheduledActionsAction = "setScheduledActions",
            AssignAction = "assign",
            ReadPermissions = ConfigurationRead,
            WritePermissions = ConfigurationWrite,
        },
        new()
        {
            // Endpoint security profiles made from a template (antivirus, firewall, disk encryption, attack surface
            // reduction, security baselines). Graph answers an expanded assignments collection empty on intents, so the
            // settings and assignments are read below each intent. Created with the template's createInstance (the
            // template ids of Intune's built-in templates are the same in every tenant), settings changed with
            // updateSettings, assigned with assign.
            Key = GraphResourceKeys.Intents,
            Label = "Endpoint security profiles (templates)",
            Kind = GraphResourceKind.PolicyFamily,
            Group = GraphFamilyGroup.EndpointSecurity,
            ApiVersion = Beta,
            CollectionPath = "deviceManagement/intents",
            ListSelect = ["id", "displayName", "description", "isAssigned", "lastModifiedDateTime", "templateId", "roleScopeTagIds"],
            ReadNavigations = ["settings"],
            SeparateReads = ["settings", "assignments"],
            HasAssignments = true,
            CreateMethod = "POST",
            UpdateMethod = "PATCH",
            TemplateInstance = new("deviceManagement/templates", "templateId", "createInstance", "updateSettings", "settings"),
            AssignAction = "assign",
            ExtraStripBeforeWrite = ["templateId", "settings"],
            // An intent is made from one template for life: PATCH cannot change it (Graph ignores or refuses it).
            FixedProperty = "templateId",
            ReadPermissions = ConfigurationRead,
            WritePermissions = ConfigurationWrite,
        },
        new()
        {
            // Reusable settings of the settings catalog (Defender firewall rule groups, device control, Linux compliance
            // discovery scripts): one setting instance each, no assignments. The policies that use one are a read-only
            // navigation and count.
            Key = GraphResourceKeys.ReusablePolicySettings,
            Label = "Reusable settings",
            Kind = GraphResourceKind.PolicyFamily,
            Group = GraphFamilyGroup.EndpointSecurity,
            ApiVersion = Beta,
            CollectionPath = "deviceManagement/reusablePolicySettings",
            ListSelect = ["id", "displayName", "description", "settingDefinitionId", "createdDateTime", "lastModifiedDateTime", "version", "referencingConfigurationPolicyCount"],
            CreateMethod = "POST",
            UpdateMethod = "PATCH",
            ExtraStripBeforeWrite = ["referencingConfigurationPolicyCount", "referencingConfigurationPolicies"],
            ReadPermissions = ConfigurationRead,
            WritePermissions = ConfigurationWrite,
        },
        new()
        {
            // Enrollment configurations: enrollment status page, device limit, platform restrictions, Windows Hello. The
            // order Intune applies them in ("priority") is set only through setPriority, so a write leaves it out and a
            // created one comes last. Every tenant has one default of each kind (priority 0, id "{tenantId}_Default…"):
            // restore updates the target's default of the same kind and never creates, deletes or assigns one.
            Key = GraphResourceKeys.DeviceEnrollmentConfigurations,
            Label = "Enrollment configurations",
            Kind = GraphResourceKind.PolicyFamily,
            Group = GraphFamilyGroup.Enrollment,
            ApiVersion = Beta,
            CollectionPath = "deviceManagement/deviceEnrollmentConfigurations",
            ListExpand = "assignments",
            GetExpand = "assignments",
            HasAssignments = true,
            CreateMethod = "POST",
            UpdateMethod = "PATCH",
            AssignAction = "assign",
            AssignBodyProperty = "enrollmentConfigurationAssignments",
            NotWritableProperties = ["priority"],
            DefaultObjectIdMarker = "_Default",
            ReadPermissions = ServiceConfigRead,
            WritePermissions = ["DeviceManagementServiceConfig.ReadWrite.All"],
        },
        new()
        {
            // Terms and conditions users accept in the Company Portal. Graph has no assign action here: each assignment is
            // created (POST {id}/assignments with its target) and deleted on its own, so the gateway's assign makes the
            // target's set the backed-up one with those calls. Who accepted (acceptanceStatuses) and the older
            // groupAssignments are navigations a restore leaves alone; "version" is Intune's (a restore does not ask
            // users to accept again).
            Key = GraphResourceKeys.TermsAndConditions,
            Label = "Terms and conditions",
            Kind = GraphResourceKind.PolicyFamily,
            Group = GraphFamilyGroup.TenantWide,
            ApiVersion = Beta,
            CollectionPath = "deviceManagement/termsAndConditions",
            ListExpand = "assignments",
            GetExpand = "assignments",
            HasAssignments = true,
            CreateMethod = "POST",
            UpdateMethod = "PATCH",
            AssignsOneByOne = true,
            ExtraStripBeforeWrite = ["acceptanceStatuses", "groupAssignments"],
            ReadPermissions = ServiceConfigRead,
            WritePermissions = ["DeviceManagementServiceConfig.ReadWrite.All"],
        },
        new()
        {
            // Notification message templates (the e-mails of compliance policies' "notify" actions) with their localized
            // messages, read with $expand and written one by one after the template (matched on the locale). No assignments.
            Key = GraphResourceKeys.NotificationMessageTemplates,
            Label = "Notification message templates",
            Kind = GraphResourceKind.PolicyFamily,
            Group = GraphFamilyGroup.TenantWide,
            ApiVersion = Beta,
            CollectionPath = "deviceManagement/notificationMessageTemplates",
            GetExpand = "localizedNotificationMessages",
            CreateMethod = "POST",
            UpdateMethod = "PATCH",
            ChildCollections = [new("localizedNotificationMessages") { KeyProperty = "locale", Updates = true }],
            ReadPermissions = ServiceConfigRead,
            WritePermissions = ["DeviceManagementServiceConfig.ReadWrite.All"],
        },
        new()
        {
            // Company Portal branding. Every tenant has one default profile (isDefaultProfile) that applies to everyone and
            // can only be updated: restore matches it to the target's default. The logos come only when $selected, so the
            // read of one profile asks for them in a second GET; they are written back with the profile.
            Key = GraphResourceKeys.IntuneBrandingProfiles,
            Label = "Company Portal branding",
            Kind = GraphResourceKind.PolicyFamily,
            Group = GraphFamilyGroup.TenantWide,
            ApiVersion = Beta,
            CollectionPath = "deviceManagement/intuneBrandingProfiles",
            DisplayNameProperty = "profileName",
            ListExpand = "assignments",
            GetExpand = "assignments",
            SelectOnlyProperties = ["themeColorLogo", "lightBackgroundLogo", "landingPageCustomizedImage"],
            HasAssignments = true,
            CreateMethod = "POST",
            UpdateMethod = "PATCH",
            AssignAction = "assign",
            ExtraStripBeforeWrite = ["isDefaultProfile"],
            DefaultObjectProperty = "isDefaultProfile",
            ReadPermissions = AppsRead,
            WritePermissions = AppsWrite,
        },
        new()
        {
            // Entra Conditional Access (v1.0): the whole policy comes from the listing and the read by id; no assignments
            // (who it applies to is inside "conditions"). Restored as backed up, state included, and only into the same
            // tenant. Its own budget: Microsoft documents 1 request per second per tenant for all apps.
            Key = GraphResourceKeys.ConditionalAccessPolicies,
            Label = "Conditional Access policies",
            Kind = GraphResourceKind.PolicyFamily,
            Group = GraphFamilyGroup.Entra,
            ApiVersion = V1,
            CollectionPath = "identity/conditionalAccess/policies",
            ListSelect = ["id", "displayName", "state", "createdDateTime", "modifiedDateTime"],
            CreateMethod = "POST",
            UpdateMethod = "PATCH",
            ExtraStripBeforeWrite = ["templateId"],
            CrossTenantRestoreBlockedReason = ConditionalAccessCrossTenant,
            Budget = GraphBudgetKind.ConditionalAccess,
            ReadPermissions = ConditionalAccessRead,
            WritePermissions = ConditionalAccessWrite,
        },
        new()
        {
            // Named locations: ipNamedLocation or countryNamedLocation; create and update name the @odata.type.
            Key = GraphResourceKeys.NamedLocations,
            Label = "Named locations",
            Kind = GraphResourceKind.PolicyFamily,
            Group = GraphFamilyGroup.Entra,
            ApiVersion = V1,
            CollectionPath = "identity/conditionalAccess/namedLocations",
            ListSelect = ["id", "displayName", "createdDateTime", "modifiedDateTime"],
            CreateMethod = "POST",
            UpdateMethod = "PATCH",
            Budget = GraphBudgetKind.ConditionalAccess,
            ReadPermissions = ConditionalAccessRead,
            WritePermissions = ConditionalAccessWrite,
        },
        new()
        {
            Key = GraphResourceKeys.AssignmentFilters,
            Label = "Assignment filters",
            Kind = GraphResourceKind.Dependency,
            Group = GraphFamilyGroup.TenantWide,
            ApiVersion = Beta,
            CollectionPath = "deviceManagement/assignmentFilters",
            // Filters carry roleScopeTags, not roleScopeTagIds.
            ListSelect = ["id", "displayName", "description", "platform", "rule", "roleScopeTags", "createdDateTime", "lastModifiedDateTime"],
            BackedUp = true,
            CreateMethod = "POST",
            UpdateMethod = "PATCH",
            ReadPermissions = ConfigurationRead,
            WritePermissions = ConfigurationWrite,
        },
        new()
        {
            Key = GraphResourceKeys.RoleScopeTags,
            Label = "Scope tags",
            Kind = GraphResourceKind.Dependency,
            Group = GraphFamilyGroup.TenantWide,
            ApiVersion = Beta,
            CollectionPath = "deviceManagement/roleScopeTags",
            ListSelect = ["id", "displayName", "description", "isBuiltIn"],
            BackedUp = true,
            // "0" (Default) is Intune's own.
            BuiltInProperty = "isBuiltIn",
            CreateMethod = "POST",
            UpdateMethod = "PATCH",
            ExtraStripBeforeWrite = ["isBuiltIn"],
            ReadPermissions = RbacRead,
            WritePermissions = ["DeviceManagementRBAC.ReadWrite.All"],
        },
        new()
        {
            Key = GraphResourceKeys.RoleDefinitions,
            Label = "Intune role definitions",
            Kind = GraphResourceKind.DirectoryObject,
            Group = GraphFamilyGroup.TenantWide,
            ApiVersion = Beta,
            CollectionPath = "deviceManagement/roleDefinitions",
            ListSelect = ["id", "displayName", "description", "isBuiltIn", "rolePermissions", "roleScopeTagIds"],
            // Custom roles restore (POST, PATCH); the built-in ones (isBuiltIn) are Intune's own and the plan blocks them.
            BackedUp = true,
            BuiltInProperty = "isBuiltIn",
            CreateMethod = "POST",
            UpdateMethod = "PATCH",
            ExtraStripBeforeWrite = ["isBuiltIn", "isBuiltInRoleDefinition"],
            ReadPermissions = RbacRead,
            WritePermissions = ["DeviceManagementRBAC.ReadWrite.All"],
        },
        new()
        {
            Key = GraphResourceKeys.Groups,
            Label = "Groups",
            Kind = GraphResourceKind.DirectoryObject,
            Group = GraphFamilyGroup.Entra,
            ApiVersion = V1,
            CollectionPath = "groups",
            ListSelect = ["id", "displayName", "description", "mail", "groupTypes", "securityEnabled", "mailEnabled"],
            ListPageSize = groupsPageSize,
            SupportsDelta = true,
            ReadPermissions =
            [
                "GroupMember.Read.All", "Group.Read.All", "Directory.Read.All", "GroupMember.ReadWrite.All", "Group.ReadWrite.All",
                "Directory.ReadWrite.All",
            ],
        },
    ];
}
