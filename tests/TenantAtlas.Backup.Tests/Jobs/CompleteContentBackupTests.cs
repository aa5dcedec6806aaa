using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using TenantAtlas.Backup.Data;
using TenantAtlas.Backup.Sets;
using TenantAtlas.Graph.Contracts;

namespace TenantAtlas.Backup.Tests.Jobs;

/// <summary>
/// Issue 16, item 2: a backup holds a policy whole — every setting and assignment across Graph's nextLinks inside
/// expanded collections, for every family — and an encrypted OMA-URI value only protected, nowhere in clear.
/// </summary>
public sealed class CompleteContentBackupTests(EmulatorBackupFixture fixture) : IClassFixture<EmulatorBackupFixture>
{
    private static readonly string[] AllFamilies =
    [
        GraphResourceKeys.DeviceConfigurations, GraphResourceKeys.DeviceCompliancePolicies, GraphResourceKeys.ConfigurationPolicies,
        GraphResourceKeys.GroupPolicyConfigurations, GraphResourceKeys.DeviceManagementScripts, GraphResourceKeys.MobileAppConfigurations,
        GraphResourceKeys.IosManagedAppProtections, GraphResourceKeys.AndroidManagedAppProtections, GraphResourceKeys.TargetedManagedAppConfigurations,
        GraphResourceKeys.WindowsManagedAppProtections, GraphResourceKeys.WindowsInformationProtectionPolicies,
        GraphResourceKeys.MdmWindowsInformationProtectionPolicies, GraphResourceKeys.PolicySets,
        GraphResourceKeys.MobileApps, GraphResourceKeys.WindowsAutopilotDeploymentProfiles, GraphResourceKeys.DeviceHealthScripts,
        GraphResourceKeys.DeviceShellScripts, GraphResourceKeys.DeviceCustomAttributeShellScripts,
        GraphResourceKeys.DeviceComplianceScripts,
        GraphResourceKeys.WindowsFeatureUpdateProfiles, GraphResourceKeys.WindowsQualityUpdateProfiles, GraphResourceKeys.WindowsDriverUpdateProfiles,
        GraphResourceKeys.CompliancePolicies,
        GraphResourceKeys.Intents, GraphResourceKeys.ReusablePolicySettings,
        GraphResourceKeys.DeviceEnrollmentConfigurations,
        GraphResourceKeys.TermsAndConditions, GraphResourceKeys.NotificationMessageTemplates, GraphResourceKeys.IntuneBrandingProfiles,
        GraphResourceKeys.ConditionalAccessPolicies, GraphResourceKeys.NamedLocations,
        GraphResourceKeys.AssignmentFilters, GraphResourceKeys.RoleScopeTags, GraphResourceKeys.RoleDefinitions,
    ];

    /// <summary>
    /// What a family holds beyond the listing (content only a read by id gives) and in its own assignment shape (beside
    /// the target): a backup that dropped them could not bring the family back.
    /// </summary>
    private static readonly Dictionary<string, (string[] Content, string[] Assignment)> FamilyParts = new(StringComparer.Ordinal)
    {
        [GraphResourceKeys.DeviceManagementScripts] = (["scriptContent"], []),
        [GraphResourceKeys.DeviceShellScripts] = (["scriptContent", "executionFrequency", "retryCount"], []),
        [GraphResourceKeys.DeviceCustomAttributeShellScripts] = (["scriptContent", "customAttributeName", "customAttributeType"], []),
        [GraphResourceKeys.DeviceComplianceScripts] = (["detectionScriptContent"], ["runRemediationScript", "runSchedule"]),
        // The protected (configured) apps: an expanded navigation, paged like assignments; custom settings for MAM app configuration.
        [GraphResourceKeys.IosManagedAppProtections] = (["apps", "pinRequired", "allowedOutboundDataTransferDestinations"], ["source", "sourceId"]),
        [GraphResourceKeys.AndroidManagedAppProtections] = (["apps", "pinRequired", "allowedOutboundDataTransferDestinations"], ["source", "sourceId"]),
        [GraphResourceKeys.TargetedManagedAppConfigurations] = (["apps", "customSettings"], ["source", "sourceId"]),
        [GraphResourceKeys.WindowsManagedAppProtections] = (["apps", "allowedOutboundClipboardSharingLevel", "maximumAllowedDeviceThreatLevel"], ["source", "sourceId"]),
        // WIP: the protected apps and domains, and the AppLocker files (a navigation of their own, expanded and paged; every seeded policy has a protected one).
        [GraphResourceKeys.WindowsInformationProtectionPolicies] = (["protectedApps", "enterpriseProtectedDomainNames", "protectedAppLockerFiles"], ["source", "sourceId"]),
        [GraphResourceKeys.MdmWindowsInformationProtectionPolicies] = (["protectedApps", "enterpriseProtectedDomainNames", "protectedAppLockerFiles"], ["source", "sourceId"]),
        // Policy sets: every item with its payloadId (and an app's intent); a set's assignment has no source.
        [GraphResourceKeys.PolicySets] = (["items", "roleScopeTags"], ["lastModifiedDateTime"]),
        // Apps: the metadata only (no package), and what each assignment does.
        [GraphResourceKeys.MobileApps] = (["publisher", "publishingState"], ["intent"]),
        [GraphResourceKeys.DeviceHealthScripts] = (["detectionScriptContent", "remediationScriptContent", "detectionScriptParameters"], ["runRemediationScript", "runSchedule"]),
        [GraphResourceKeys.WindowsFeatureUpdateProfiles] = (["featureUpdateVersion", "deployableContentDisplayName", "endOfSupportDate"], []),
        [GraphResourceKeys.WindowsQualityUpdateProfiles] = (["expeditedUpdateSettings", "releaseDateDisplayName"], []),
        [GraphResourceKeys.WindowsDriverUpdateProfiles] = (["approvalType", "deploymentDeferralInDays", "inventorySyncStatus"], []),
        [GraphResourceKeys.CompliancePolicies] = (["settings", "scheduledActionsForRule"], []),
        // Endpoint security: an intent's template and every setting (read below the intent, paged); a reusable setting's instance.
        [GraphResourceKeys.Intents] = (["templateId", "settings"], []),
        [GraphResourceKeys.ReusablePolicySettings] = (["settingDefinitionId", "settingInstance"], []),
        // The kind's settings and the order Intune applies them in; each assignment says where it comes from.
        [GraphResourceKeys.DeviceEnrollmentConfigurations] = (["@odata.type", "priority"], ["source", "sourceId"]),
        // Terms: the text users accept and its version; templates: each localized message (expanded); branding: the
        // images Graph gives only when selected, and whether it is the tenant's default.
        [GraphResourceKeys.TermsAndConditions] = (["title", "bodyText", "acceptanceStatement", "version"], ["@odata.type"]),
        [GraphResourceKeys.NotificationMessageTemplates] = (["localizedNotificationMessages", "defaultLocale", "brandingOptions"], []),
        [GraphResourceKeys.IntuneBrandingProfiles] = (["themeColorLogo", "lightBackgroundLogo", "themeColor", "companyPortalBlockedActions", "isDefaultProfile"], ["@odata.type"]),
        // No assignments: who a Conditional Access policy applies to is inside its conditions (the listing has no conditions).
        [GraphResourceKeys.ConditionalAccessPolicies] = (["state", "conditions", "grantControls"], []),
        [GraphResourceKeys.NamedLocations] = (["@odata.type", "displayName"], []),
        [GraphResourceKeys.AssignmentFilters] = (["rule", "platform", "roleScopeTags"], []),
        [GraphResourceKeys.RoleScopeTags] = (["displayName", "isBuiltIn"], []),
        [GraphResourceKeys.RoleDefinitions] = (["rolePermissions", "isBuiltIn"], []),
    };

    private async Task<(OperationJobResult Result, FakeRunContext Run, BackupSet Set)> BackUpAsync(Guid tenantId, string[] families)
    {
        var schedule = await fixture.CreateScheduleAsync(BackupFixture.Nightly() with { Families = families }, tenant: tenantId);
        var run = new FakeRunContext(OperationTypes.BackupRunNow, fixture.Demo.Contoso, tenantId, schedule);
        await using var scope = fixture.App.Services.CreateAsyncScope();
        var result = await scope.ServiceProvider.GetRequiredKeyedService<IOperationJob>(OperationTypes.BackupRunNow).RunAsync(run, CancellationToken.None);
        await using var db = await fixture.App.Services.GetRequiredService<IDbContextFactory<BackupDbContext>>().CreateDbContextAsync();
        var set = await db.Sets.AsNoTracking().Include(s => s.Items).SingleAsync(s => s.OperationRunId == run.RunId);
        return (result, run, set);
    }

    [Fact]
    public async Task A_backup_of_every_family_holds_every_setting_and_assignment_across_expanded_pages()
    {
        var (emulated, tenantId) = await fixture.NewTenantAsync(s =>
        {
            s.ExpandedPageSize = 3;
            s.OversizedPolicies = 1;
            // Every app the store holds is one the listing shows: Intune's built-in apps nobody assigned are left out by
            // the apps $filter (FamilyRoundTripTests.The_apps_listing_…).
            s.BuiltInApps = 0;
            // Families whose weight gives a small tenant none of them: a few each, so their content is checked too.
            s.FamilyCounts = new()
            {
                [GraphResourceKeys.WindowsFeatureUpdateProfiles] = 4,
                [GraphResourceKeys.WindowsQualityUpdateProfiles] = 4,
                [GraphResourceKeys.WindowsDriverUpdateProfiles] = 4,
                [GraphResourceKeys.CompliancePolicies] = 4,
                // The four defaults (unassigned) and eight of the tenant's own.
                [GraphResourceKeys.DeviceEnrollmentConfigurations] = 12,
                [GraphResourceKeys.TermsAndConditions] = 4, [GraphResourceKeys.NotificationMessageTemplates] = 4,
                // The tenant's default (unassigned) and four of its own.
                [GraphResourceKeys.IntuneBrandingProfiles] = 5,
                [GraphResourceKeys.IosManagedAppProtections] = 3, [GraphResourceKeys.AndroidManagedAppProtections] = 3,
                [GraphResourceKeys.TargetedManagedAppConfigurations] = 3, [GraphResourceKeys.MobileApps] = 4,
                [GraphResourceKeys.Intents] = 5, [GraphResourceKeys.ReusablePolicySettings] = 3,
                [GraphResourceKeys.WindowsManagedAppProtections] = 3, [GraphResourceKeys.WindowsInformationProtectionPolicies] = 4,
                [GraphResourceKeys.MdmWindowsInformationProtectionPolicies] = 4, [GraphResourceKeys.PolicySets] = 6,
            };
        });

        var (result, run, set) = await BackUpAsync(tenantId, AllFamilies);

        result.Should().Be(OperationJobResult.Succeeded, string.Join("; ", run.Failures.Select(f => f.Message)));
        var oversized = emulated.List(GraphResourceKeys.ConfigurationPolicies).Where(p => (p["settings"] as JsonArray)?.Count >= (3 * 2) + 3).ToList();
        oversized.Should().ContainSingle().Which["assignments"]!.AsArray().Count.Should().BeGreaterThan(3, "the seed pages its assignments too");
        var assignmentsSeen = 0;
        foreach (var family in AllFamilies)
        {
            set.Items.Where(i => i.Family == family).Select(i => i.GraphId).Should().BeEquivalentTo(emulated.Ids(family), family);
        }

        foreach (var family in new[]
        {
            GraphResourceKeys.WindowsFeatureUpdateProfiles, GraphResourceKeys.WindowsQualityUpdateProfiles, GraphResourceKeys.WindowsDriverUpdateProfiles,
            GraphResourceKeys.CompliancePolicies, GraphResourceKeys.DeviceEnrollmentConfigurations, GraphResourceKeys.WindowsManagedAppProtections,
            GraphResourceKeys.WindowsInformationProtectionPolicies, GraphResourceKeys.MdmWindowsInformationProtectionPolicies, GraphResourceKeys.PolicySets,
            GraphResourceKeys.TermsAndConditions, GraphResourceKeys.IntuneBrandingProfiles, GraphResourceKeys.Intents,
        })
        {
            set.Items.Where(i => i.Family == family).Should().Contain(i => JsonNode.Parse(i.Assignments)!.AsArray().Count > 0, $"the tenant has {family} with assignments to check");
        }
        set.Items.Select(i => i.Family).Should().Contain(
            [GraphResourceKeys.IosManagedAppProtections, GraphResourceKeys.AndroidManagedAppProtections, GraphResourceKeys.TargetedManagedAppConfigurations,
             GraphResourceKeys.MobileApps]);

        foreach (var item in set.Items)
        {
            var source = emulated.Get(item.Family, item.GraphId)!;
            var expected = (source["assignments"] as JsonArray ?? []).Select(a => a!["id"]!.GetValue<string>()).ToList();
            var stored = JsonNode.Parse(item.Assignments)!.AsArray();
            stored.Select(a => a!["id"]!.GetValue<string>()).Should().Equal(expected, $"{item.Family}/{item.GraphId} keeps every assignment");
            for (var i = 0; i < stored.Count; i++)
            {
                JsonNode.DeepEquals(stored[i]!["target"], source["assignments"]![i]!["target"]).Should().BeTrue($"{item.Family}/{item.GraphId} assignment {i} keeps its target");
            }

            if (FamilyParts.TryGetValue(item.Family, out var parts))
            {
                var content = JsonNode.Parse(item.Content)!.AsObject();
                foreach (var name in parts.Content)
                {
                    source[name].Should().NotBeNull($"the seed gives {item.Family} its {name}");
                    JsonNode.DeepEquals(content[name], source[name]).Should().BeTrue($"{item.Family}/{item.GraphId} keeps its {name}");
                }

                for (var i = 0; i < stored.Count; i++)
                {
                    foreach (var name in parts.Assignment)
                    {
                        JsonNode.DeepEquals(stored[i]![name], source["assignments"]![i]![name]).Should().BeTrue($"{item.Family}/{item.GraphId} assignment {i} keeps its {name}");
                        stored[i]![name].Should().NotBeNull();
                    }
                }
            }

            assignmentsSeen += stored.Count;
            if (item.Family == GraphResourceKeys.ConfigurationPolicies)
            {
                var settings = JsonNode.Parse(item.Content)!["settings"]!.AsArray();
                JsonNode.DeepEquals(settings, source["settings"]).Should().BeTrue($"{item.GraphId} keeps every setting, as Graph has it");
            }
        }

        // An intent's settings and assignments are read below it (Graph answers them empty when expanded), page after page.
        set.Items.Where(i => i.Family == GraphResourceKeys.Intents).Should().Contain(
            i => JsonNode.Parse(i.Content)!["settings"]!.AsArray().Count > 3, "some intent's settings span more than one page (of 3) and are kept whole");

        string[] appFamilies = [GraphResourceKeys.IosManagedAppProtections, GraphResourceKeys.AndroidManagedAppProtections, GraphResourceKeys.TargetedManagedAppConfigurations];
        string[] wip = [GraphResourceKeys.WindowsInformationProtectionPolicies, GraphResourceKeys.MdmWindowsInformationProtectionPolicies];
        set.Items.Where(i => wip.Contains(i.Family)).Should().Contain(
            i => JsonNode.Parse(i.Content)!["protectedAppLockerFiles"]!.AsArray().Count > 0, "some WIP policy has an AppLocker file, kept whole (base64 XML)");
        set.Items.Where(i => i.Family == GraphResourceKeys.PolicySets).Should().Contain(
            i => JsonNode.Parse(i.Content)!["items"]!.AsArray().Count > 3, "some policy set's items span more than one expanded page (of 3) and are kept whole");
        set.Items.Where(i => appFamilies.Contains(i.Family)).Should().Contain(
            i => JsonNode.Parse(i.Content)!["apps"]!.AsArray().Count > 3, "some policy's apps span more than one expanded page (of 3) and are kept whole");
        var big = set.Items.Single(i => i.GraphId == oversized[0]["id"]!.GetValue<string>());
        JsonNode.Parse(big.Content)!["settings"]!.AsArray().Should().HaveCount(oversized[0]["settings"]!.AsArray().Count);
        JsonNode.Parse(big.Assignments)!.AsArray().Should().HaveCount(oversized[0]["assignments"]!.AsArray().Count);
        assignmentsSeen.Should().BeGreaterThan(0);
        set.Items.Where(i => i.Family == GraphResourceKeys.NotificationMessageTemplates)
            .Should().Contain(i => JsonNode.Parse(i.Content)!["localizedNotificationMessages"]!.AsArray().Count > 1, "a template keeps each of its localized messages");
        set.Items.Where(i => i.Family == GraphResourceKeys.IntuneBrandingProfiles)
            .Should().ContainSingle(i => JsonNode.Parse(i.Content)!["isDefaultProfile"]!.GetValue<bool>(), "the tenant's default profile is backed up too");
    }

    [Fact]
    public async Task An_encrypted_oma_value_is_stored_only_protected_and_the_download_shows_it_as_protected()
    {
        var (emulated, tenantId) = await fixture.NewTenantAsync(s => s.FamilyCounts = new() { [GraphResourceKeys.DeviceConfigurations] = 0 });
        var added = emulated.AddPolicy(GraphResourceKeys.DeviceConfigurations, "WIN - Custom Wi-Fi", "#microsoft.graph.windows10CustomConfiguration");
        var policyId = added["id"]!.GetValue<string>();
        var plain = emulated.PlainTextOmaValues(policyId).Single().Value;

        var (result, run, set) = await BackUpAsync(tenantId, [GraphResourceKeys.DeviceConfigurations]);

        result.Should().Be(OperationJobResult.Succeeded, string.Join("; ", run.Failures.Select(f => f.Message)));
        var item = set.Items.Should().ContainSingle().Subject;
        var index = added["omaSettings"]!.AsArray().Select((s, i) => (s, i)).Single(x => x.s!["isEncrypted"]!.GetValue<bool>()).i;
        var protectedValue = JsonNode.Parse(item.ProtectedValues)!.AsArray().Should().ContainSingle().Subject!;
        protectedValue["path"]!.GetValue<string>().Should().Be($"/omaSettings/{index}/value");
        fixture.App.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector(GraphSecretProtection.Purpose)
            .Unprotect(protectedValue["protectedValue"]!.GetValue<string>()).Should().Be(plain);

        (await RowsContainingAsync(plain)).Should().BeEmpty("the clear value is nowhere in the database");
        (await RowsContainingAsync(protectedValue["protectedValue"]!.GetValue<string>())).Should().Equal(["backup.backup_items"]);

        var queries = fixture.App.Services.GetRequiredService<BackupSetQueries>();
        using var download = new MemoryStream();
        (await queries.ExportAsync(fixture.Demo.Owner, set.Id, _ => download)).Decision.Should().Be(AccessDecision.Allowed);
        var text = Encoding.UTF8.GetString(download.ToArray());
        text.Should().NotContain(plain).And.NotContain(protectedValue["protectedValue"]!.GetValue<string>());
        var downloaded = JsonNode.Parse(text)!["items"]![0]!;
        downloaded["protectedValues"]!.ToJsonString().Should().Be($"[{{\"path\":\"/omaSettings/{index}/value\",\"value\":\"protected\"}}]");
        var (decision, itemJson) = await queries.GetItemJsonAsync(fixture.Demo.Owner, item.Id);
        decision.Should().Be(AccessDecision.Allowed);
        itemJson.Should().NotContain(plain).And.Contain("\"value\": \"protected\"");
    }

    /// <summary>Every table of every schema of the test database whose rows, as text, contain <paramref name="needle"/>.</summary>
    private async Task<List<string>> RowsContainingAsync(string needle)
    {
        await using var connection = new Npgsql.NpgsqlConnection(fixture.Database.ConnectionString);
        await connection.OpenAsync();
        var tables = new List<string>();
        await using (var list = new Npgsql.NpgsqlCommand(
            "SELECT quote_ident(table_schema) || '.' || quote_ident(table_name) FROM information_schema.tables "
            + "WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema') ORDER BY 1", connection))
        await using (var reader = await list.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                tables.Add(reader.GetString(0));
            }
        }

        tables.Should().Contain("backup.backup_items");
        var found = new List<string>();
        foreach (var table in tables)
        {
            await using var command = new Npgsql.NpgsqlCommand($"SELECT count(*) FROM {table} t WHERE strpos(row_to_json(t)::text, @needle) > 0", connection);
            command.Parameters.AddWithValue("needle", needle);
            if ((long)(await command.ExecuteScalarAsync())! > 0)
            {
                found.Add(table);
            }
        }

        return found;
    }
}
