using System.Globalization;
using System.Text.Json.Nodes;
using TenantAtlas.GraphEmulator.Graph;
using TenantAtlas.GraphEmulator.State;

namespace TenantAtlas.GraphEmulator.Seeding;

/// <summary>Builds a tenant's data from its spec. Same spec, same data: every stream of randomness is seeded from it.</summary>
internal static class TenantSeeder
{
    /// <summary>Generated timestamps lie before this fixed moment, so they do not depend on the clock.</summary>
    public static readonly DateTimeOffset Anchor = new(2025, 6, 30, 12, 0, 0, TimeSpan.Zero);

    private static readonly (string Family, int Weight)[] PolicyWeights =
    [
        (GraphFamilies.DeviceConfigurations, 25),
        (GraphFamilies.DeviceCompliancePolicies, 10),
        // The newer families take their share from the settings catalog, so the older families keep their counts.
        (GraphFamilies.ConfigurationPolicies, 10),
        (GraphFamilies.GroupPolicyConfigurations, 10),
        (GraphFamilies.DeviceManagementScripts, 8),
        (GraphFamilies.MobileAppConfigurations, 5),
        // App protection was one family read through the abstract managedAppPolicies collection (7); its platform families share that.
        (GraphFamilies.IosManagedAppProtections, 3),
        (GraphFamilies.AndroidManagedAppProtections, 2),
        (GraphFamilies.TargetedManagedAppConfigurations, 2),
        (GraphFamilies.MobileApps, 2),
        (GraphFamilies.WindowsAutopilotDeploymentProfiles, 5),
        (GraphFamilies.DeviceHealthScripts, 5),
        (GraphFamilies.DeviceShellScripts, 3),
        (GraphFamilies.DeviceCustomAttributeShellScripts, 3),
        (GraphFamilies.DeviceComplianceScripts, 3),
        (GraphFamilies.WindowsFeatureUpdateProfiles, 1),
        (GraphFamilies.WindowsQualityUpdateProfiles, 1),
        (GraphFamilies.WindowsDriverUpdateProfiles, 1),
        (GraphFamilies.CompliancePolicies, 1),
    ];

    public static Dictionary<string, ResourceCollection> Seed(TenantSpec spec, string domain, out SeedContext context)
    {
        var collections = FamilyRegistry.Families.ToDictionary(f => f.Name, _ => new ResourceCollection(), StringComparer.Ordinal);

        var groups = SeedGroups(spec, domain);
        collections[GraphFamilies.Groups].AddRange(groups);

        var scopeTags = new List<StoredResource> { IntuneShapes.ScopeTag("0", 0) };
        var scopeTagCount = Count(spec, GraphFamilies.RoleScopeTags, spec.ScopeTags);
        for (var i = 1; i <= scopeTagCount; i++)
        {
            scopeTags.Add(IntuneShapes.ScopeTag(i.ToString(CultureInfo.InvariantCulture), i));
        }

        collections[GraphFamilies.RoleScopeTags].AddRange(scopeTags);

        var filterRng = new SeedRandom(spec.Seed, GraphFamilies.AssignmentFilters);
        var filters = new List<StoredResource>();
        var filterCount = Count(spec, GraphFamilies.AssignmentFilters, spec.AssignmentFilters);
        for (var i = 0; i < filterCount; i++)
        {
            var created = filterRng.Before(Anchor, 600);
            filters.Add(IntuneShapes.AssignmentFilter(filterRng, filterRng.Guid(), i + 1, (SeedRandom.IntuneTime(created), SeedRandom.IntuneTime(created))));
        }

        collections[GraphFamilies.AssignmentFilters].AddRange(filters);

        context = new SeedContext
        {
            GroupIds = groups.Select(g => g.Id).ToList(),
            Filters = filters.Select((f, i) => new FilterRef(f.Id, IntuneShapes.FilterPlatform(i + 1))).ToList(),
            ScopeTagIds = scopeTags.Skip(1).Select(t => t.Id).ToList(),
            Anchor = Anchor,
            Domain = domain,
            TenantId = spec.TenantId.Trim(),
            Seed = spec.Seed,
        };

        foreach (var (family, count) in PolicyCounts(spec))
        {
            var rng = new SeedRandom(spec.Seed, family);
            var items = new List<StoredResource>(count);
            var ids = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            for (var i = 1; i <= count; i++)
            {
                var item = IntuneShapes.Create(family, rng, context, i);
                if (ids.Add(item.Id))
                {
                    items.Add(item);
                }
            }

            if (family == GraphFamilies.ConfigurationPolicies)
            {
                var oversizeRng = new SeedRandom(spec.Seed, "oversized");
                foreach (var item in items.Take(Math.Max(0, spec.OversizedPolicies)))
                {
                    IntuneShapes.Oversize(item, context, Math.Max(1, spec.ExpandedPageSize), oversizeRng);
                }
            }

            collections[family].AddRange(items);
        }

        // Intune's built-in apps: listed by mobileApps beside the tenant's own, unassigned until an admin assigns one.
        var builtInRng = new SeedRandom(spec.Seed, "builtInApps");
        for (var i = 1; i <= Math.Max(0, spec.BuiltInApps); i++)
        {
            collections[GraphFamilies.MobileApps].Add(IntuneShapes.BuiltInApp(builtInRng, context, i));
        }

        var roles = IntuneShapes.BuiltInRoleDefinitions().ToList();
        var roleRng = new SeedRandom(spec.Seed, GraphFamilies.RoleDefinitions);
        var customRoles = Count(spec, GraphFamilies.RoleDefinitions, spec.CustomRoleDefinitions);
        for (var i = 1; i <= customRoles; i++)
        {
            roles.Add(IntuneShapes.Create(GraphFamilies.RoleDefinitions, roleRng, context, i));
        }

        collections[GraphFamilies.RoleDefinitions].AddRange(roles);

        // Tenant-wide Entra objects with small fixed counts (not a share of the policies): named locations first, then
        // the Conditional Access policies that reference them and the groups.
        // Endpoint security: Intune's template catalog (the first ones when a spec names fewer), then intents made from it.
        var templates = EndpointSecurityTemplates.Catalog
            .Take(Count(spec, GraphFamilies.Templates, EndpointSecurityTemplates.Catalog.Count))
            .Select(EndpointSecurityTemplates.Resource).ToList();
        foreach (var template in templates)
        {
            IntuneShapes.Reshape(FamilyRegistry.Get(GraphFamilies.Templates), template);
        }

        collections[GraphFamilies.Templates].AddRange(templates);
        context.TemplateIds = templates.Select(t => t.Id).ToList();

        foreach (var (family, fallback) in new[]
        {
            (GraphFamilies.NamedLocations, spec.NamedLocations), (GraphFamilies.ConditionalAccessPolicies, spec.ConditionalAccessPolicies),
            (GraphFamilies.DeviceEnrollmentConfigurations, spec.EnrollmentConfigurations),
            (GraphFamilies.Intents, spec.Intents),
            (GraphFamilies.ReusablePolicySettings, spec.ReusablePolicySettings),
            (GraphFamilies.TermsAndConditions, spec.TermsAndConditions),
            (GraphFamilies.NotificationMessageTemplates, spec.NotificationMessageTemplates),
            (GraphFamilies.IntuneBrandingProfiles, spec.BrandingProfiles),
        })
        {
            var rng = new SeedRandom(spec.Seed, family);
            // Intents are made from templates: a tenant without any has none.
            var count = family == GraphFamilies.Intents && context.TemplateIds.Count == 0 ? 0 : Count(spec, family, fallback);
            for (var i = 1; i <= count; i++)
            {
                collections[family].Add(IntuneShapes.Create(family, rng, context, i));
            }

            if (family == GraphFamilies.NamedLocations)
            {
                context.NamedLocationIds = collections[family].All.Select(r => r.Id).ToList();
            }

            if (family == GraphFamilies.Intents)
            {
                foreach (var intent in collections[family].All)
                {
                    var template = collections[GraphFamilies.Templates].Find(intent.Data["templateId"]!.GetValue<string>())!;
                    template.Data["intentCount"] = template.Data["intentCount"]!.GetValue<int>() + 1;
                }
            }
        }

        NameOwnNotificationTemplates(collections);
        SeedBundles(spec, collections, context);
        return collections;
    }

    /// <summary>
    /// A compliance action's e-mail names one of the tenant's own templates (or none, when it has none): in Intune a
    /// template id is the tenant's, and a restore maps it as a reference. The templates are seeded after the policies, so
    /// the ids are set here, by position — no stream of randomness changes.
    /// </summary>
    private static void NameOwnNotificationTemplates(Dictionary<string, ResourceCollection> collections)
    {
        var templates = collections[GraphFamilies.NotificationMessageTemplates].All.Select(t => t.Id).ToList();
        var next = 0;
        foreach (var policy in collections[GraphFamilies.CompliancePolicies].All.Concat(collections[GraphFamilies.DeviceCompliancePolicies].All))
        {
            var actions = policy.ScheduledActionsForRule.SelectMany(r => r["scheduledActionConfigurations"] as JsonArray ?? []).OfType<JsonObject>();
            foreach (var action in actions.Where(a => a["actionType"]?.GetValue<string>() == "notification"))
            {
                action["notificationTemplateId"] = templates.Count == 0 ? "00000000-0000-0000-0000-000000000000" : templates[next++ % templates.Count];
            }
        }
    }

    private static List<StoredResource> SeedGroups(TenantSpec spec, string domain)
    {
        var rng = new SeedRandom(spec.Seed, GraphFamilies.Groups);
        var count = Count(spec, GraphFamilies.Groups, spec.Groups);
        var names = new List<string>(count);
        var result = new List<StoredResource>(count);
        var ids = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var duplicateEvery = spec.DuplicateGroupNames > 0 ? Math.Max(2, count / (spec.DuplicateGroupNames + 1)) : int.MaxValue;
        var duplicatesLeft = spec.DuplicateGroupNames;
        for (var i = 1; i <= count; i++)
        {
            var id = rng.Guid();
            var name = DirectoryShapes.GroupName(rng, i);
            if (duplicatesLeft > 0 && i % duplicateEvery == 0 && names.Count > 0)
            {
                name = names[^1];
                duplicatesLeft--;
            }

            names.Add(name);
            var created = rng.Before(Anchor, 1500);
            if (ids.Add(id))
            {
                result.Add(new StoredResource(DirectoryShapes.Group(rng, id, name, domain, created)));
            }
        }

        return result;
    }

    /// <summary>
    /// Windows app protection, Windows Information Protection and policy sets, with small fixed counts (not a share of
    /// the policies); the sets last, since their items name objects seeded before them.
    /// </summary>
    private static void SeedBundles(TenantSpec spec, Dictionary<string, ResourceCollection> collections, SeedContext context)
    {
        foreach (var (family, fallback) in new[]
        {
            (GraphFamilies.WindowsManagedAppProtections, spec.WindowsAppProtections),
            (GraphFamilies.WindowsInformationProtectionPolicies, spec.InformationProtectionPolicies),
            (GraphFamilies.MdmWindowsInformationProtectionPolicies, spec.InformationProtectionPolicies),
            (GraphFamilies.PolicySets, spec.PolicySets),
        })
        {
            if (family == GraphFamilies.PolicySets)
            {
                context.PolicySetPayloads =
                [
                    .. ChildHandlers.PayloadFamilies.SelectMany(p => p.Value.SelectMany(f => collections[f].All.Take(3)
                        .Select(r => (p.Key["microsoft.graph.".Length..], r.Id, r.Data["displayName"]?.GetValue<string>() ?? "")))),
                ];
            }

            var rng = new SeedRandom(spec.Seed, family);
            var count = Count(spec, family, fallback);
            for (var i = 1; i <= count; i++)
            {
                collections[family].Add(IntuneShapes.Create(family, rng, context, i));
            }
        }
    }

    private static int Count(TenantSpec spec, string family, int fallback) =>
        Math.Max(0, spec.FamilyCounts is not null && spec.FamilyCounts.TryGetValue(family, out var count) ? count : fallback);

    /// <summary>Spreads <see cref="TenantSpec.Policies"/> over the policy families by weight; explicit family counts win.</summary>
    public static IEnumerable<(string Family, int Count)> PolicyCounts(TenantSpec spec)
    {
        var total = Math.Max(0, spec.Policies);
        var weightSum = PolicyWeights.Sum(w => w.Weight);
        var counts = PolicyWeights.ToDictionary(w => w.Family, w => total * w.Weight / weightSum, StringComparer.Ordinal);
        counts[GraphFamilies.ConfigurationPolicies] += total - counts.Values.Sum();
        foreach (var (family, _) in PolicyWeights)
        {
            yield return (family, Count(spec, family, counts[family]));
        }
    }
}
