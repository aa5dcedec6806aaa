using System.Text.Json.Nodes;
using TenantAtlas.Graph.Contracts;
using TenantAtlas.Graph.Registry;
using TenantAtlas.Graph.Tests.Support;

namespace TenantAtlas.Graph.Tests.Registry;

public sealed class ContractRegistryTests(GraphFixture fixture) : IClassFixture<GraphFixture>
{
    private readonly GraphContractRegistry registry = new();

    [Theory]
    [InlineData("deviceConfigurations", GraphResourceKind.PolicyFamily, "beta", "deviceManagement/deviceConfigurations")]
    [InlineData("deviceCompliancePolicies", GraphResourceKind.PolicyFamily, "beta", "deviceManagement/deviceCompliancePolicies")]
    [InlineData("configurationPolicies", GraphResourceKind.PolicyFamily, "beta", "deviceManagement/configurationPolicies")]
    [InlineData("groupPolicyConfigurations", GraphResourceKind.PolicyFamily, "beta", "deviceManagement/groupPolicyConfigurations")]
    [InlineData("deviceManagementScripts", GraphResourceKind.PolicyFamily, "beta", "deviceManagement/deviceManagementScripts")]
    [InlineData("mobileAppConfigurations", GraphResourceKind.PolicyFamily, "beta", "deviceAppManagement/mobileAppConfigurations")]
    [InlineData("iosManagedAppProtections", GraphResourceKind.PolicyFamily, "beta", "deviceAppManagement/iosManagedAppProtections")]
    [InlineData("androidManagedAppProtections", GraphResourceKind.PolicyFamily, "beta", "deviceAppManagement/androidManagedAppProtections")]
    [InlineData("windowsManagedAppProtections", GraphResourceKind.PolicyFamily, "beta", "deviceAppManagement/windowsManagedAppProtections")]
    [InlineData("windowsInformationProtectionPolicies", GraphResourceKind.PolicyFamily, "beta", "deviceAppManagement/windowsInformationProtectionPolicies")]
    [InlineData("mdmWindowsInformationProtectionPolicies", GraphResourceKind.PolicyFamily, "beta", "deviceAppManagement/mdmWindowsInformationProtectionPolicies")]
    [InlineData("targetedManagedAppConfigurations", GraphResourceKind.PolicyFamily, "beta", "deviceAppManagement/targetedManagedAppConfigurations")]
    [InlineData("windowsAutopilotDeploymentProfiles", GraphResourceKind.PolicyFamily, "beta", "deviceManagement/windowsAutopilotDeploymentProfiles")]
    [InlineData("deviceHealthScripts", GraphResourceKind.PolicyFamily, "beta", "deviceManagement/deviceHealthScripts")]
    [InlineData("deviceShellScripts", GraphResourceKind.PolicyFamily, "beta", "deviceManagement/deviceShellScripts")]
    [InlineData("deviceComplianceScripts", GraphResourceKind.PolicyFamily, "beta", "deviceManagement/deviceComplianceScripts")]
    [InlineData("deviceCustomAttributeShellScripts", GraphResourceKind.PolicyFamily, "beta", "deviceManagement/deviceCustomAttributeShellScripts")]
    [InlineData("windowsFeatureUpdateProfiles", GraphResourceKind.PolicyFamily, "beta", "deviceManagement/windowsFeatureUpdateProfiles")]
    [InlineData("windowsQualityUpdateProfiles", GraphResourceKind.PolicyFamily, "beta", "deviceManagement/windowsQualityUpdateProfiles")]
    [InlineData("windowsDriverUpdateProfiles", GraphResourceKind.PolicyFamily, "beta", "deviceManagement/windowsDriverUpdateProfiles")]
    [InlineData("compliancePolicies", GraphResourceKind.PolicyFamily, "beta", "deviceManagement/compliancePolicies")]
    [InlineData("deviceEnrollmentConfigurations", GraphResourceKind.PolicyFamily, "beta", "deviceManagement/deviceEnrollmentConfigurations")]
    [InlineData("intuneBrandingProfiles", GraphResourceKind.PolicyFamily, "beta", "deviceManagement/intuneBrandingProfiles")]
    [InlineData("assignmentFilters", GraphResourceKind.Dependency, "beta", "deviceManagement/assignmentFilters")]
    [InlineData("roleScopeTags", GraphResourceKind.Dependency, "beta", "deviceManagement/roleScopeTags")]
    [InlineData("roleDefinitions", GraphResourceKind.DirectoryObject, "beta", "deviceManagement/roleDefinitions")]
    [InlineData("groups", GraphResourceKind.DirectoryObject, "v1.0", "groups")]
    public void Every_family_of_the_graph_facts_table_is_registered(string key, GraphResourceKind kind, string version, string path)
    {
        var contract = registry.Get(key)!;

        contract.Should().NotBeNull();
        contract.Kind.Should().Be(kind);
        contract.ApiVersion.Should().Be(version);
        contract.CollectionPath.Should().Be(path);
        contract.ReadPermissions.Should().NotBeEmpty();
        if (kind == GraphResourceKind.PolicyFamily)
        {
            contract.HasAssignments.Should().BeTrue();
            contract.GetExpand.Should().Contain("assignments");
            contract.CreateMethod.Should().Be("POST");
            contract.AssignAction.Should().Be("assign");
            contract.WritePermissions.Should().NotBeEmpty();
            contract.StripBeforeWrite.Should().Contain(
                ["id", "createdDateTime", "lastModifiedDateTime", "modifiedDateTime", "version", "supportsScopeTags", "settingCount", "creationSource", "isAssigned"]);
        }
    }

    [Fact]
    public void The_families_read_and_write_the_way_graph_wants()
    {
        registry.Get(GraphResourceKeys.ConfigurationPolicies)!.UpdateMethod.Should().Be("PUT");
        registry.Get(GraphResourceKeys.ConfigurationPolicies)!.UpdateBodyProperties.Should().Contain(["name", "description", "platforms", "technologies", "templateReference", "settings"]);
        registry.Get(GraphResourceKeys.ConfigurationPolicies)!.GetExpand.Should().Contain("settings");
        registry.Get(GraphResourceKeys.DeviceConfigurations)!.UpdateMethod.Should().Be("PATCH");
        registry.Get(GraphResourceKeys.DeviceCompliancePolicies)!.GetExpand.Should().Contain("scheduledActionsForRule($expand=scheduledActionConfigurations)");
        registry.Get(GraphResourceKeys.GroupPolicyConfigurations)!.ReadNavigations.Should().Contain(["definitionValues", "definitionValues/{id}/presentationValues"]);
        registry.Get(GraphResourceKeys.DeviceManagementScripts)!.AssignBodyProperty.Should().Be("deviceManagementScriptAssignments");
        registry.Get(GraphResourceKeys.DeviceHealthScripts)!.AssignBodyProperty.Should().Be("deviceHealthScriptAssignments");
        registry.Get(GraphResourceKeys.DeviceHealthScripts)!.StripBeforeWrite.Should().Contain(["isGlobalScript", "highestAvailableVersion"]);
        registry.Get(GraphResourceKeys.DeviceShellScripts)!.AssignBodyProperty.Should().Be("deviceManagementScriptAssignments");
        registry.Get(GraphResourceKeys.DeviceShellScripts)!.ReadPermissions[0].Should().Be("DeviceManagementManagedDevices.Read.All");
        registry.Get(GraphResourceKeys.DeviceComplianceScripts)!.AssignBodyProperty.Should().Be("deviceHealthScriptAssignments");
        registry.Get(GraphResourceKeys.WindowsFeatureUpdateProfiles)!.StripBeforeWrite.Should().Contain(["deployableContentDisplayName", "endOfSupportDate"]);
        registry.Get(GraphResourceKeys.WindowsQualityUpdateProfiles)!.StripBeforeWrite.Should().Contain(["releaseDateDisplayName", "deployableContentDisplayName"]);
        registry.Get(GraphResourceKeys.WindowsDriverUpdateProfiles)!.StripBeforeWrite.Should().Contain(["deviceReporting", "newUpdates", "inventorySyncStatus"]);
        registry.Get(GraphResourceKeys.CompliancePolicies)!.UpdateMethod.Should().Be("PUT");
        registry.Get(GraphResourceKeys.CompliancePolicies)!.GetExpand.Should().Contain("settings").And.Contain("scheduledActionsForRule($expand=scheduledActionConfigurations)");
        registry.Get(GraphResourceKeys.CompliancePolicies)!.UpdateBodyProperties.Should().Equal("name", "description", "platforms", "technologies", "settings", "roleScopeTagIds");
        registry.Get(GraphResourceKeys.DeviceEnrollmentConfigurations)!.AssignBodyProperty.Should().Be("enrollmentConfigurationAssignments");
        registry.Get(GraphResourceKeys.DeviceEnrollmentConfigurations)!.StripBeforeWrite.Should().Contain("priority", "Intune sets the order only through setPriority");
        registry.Get(GraphResourceKeys.DeviceEnrollmentConfigurations)!.ToInfo().DefaultObjectIdMarker.Should().Be("_Default");
        registry.Get(GraphResourceKeys.DeviceEnrollmentConfigurations)!.ToInfo().NotWritableProperties.Should().Equal(["priority"], "a restore plan must not count a priority it cannot write");
        foreach (var key in new[] { GraphResourceKeys.IosManagedAppProtections, GraphResourceKeys.AndroidManagedAppProtections, GraphResourceKeys.WindowsManagedAppProtections, GraphResourceKeys.TargetedManagedAppConfigurations })
        {
            registry.Get(key)!.GetExpand.Should().Be("apps,assignments");
            registry.Get(key)!.ListExpand.Should().Be("apps,assignments");
            registry.Get(key)!.TargetAppsAction.Should().Be("targetApps");
            registry.Get(key)!.StripBeforeWrite.Should().Contain(["apps", "deployedAppCount"], "the apps go with targetApps, not in the object");
        }

        registry.Get(GraphResourceKeys.AssignmentFilters)!.ListSelect.Should().Contain("roleScopeTags").And.NotContain("roleScopeTagIds");
        registry.Get(GraphResourceKeys.Groups)!.SupportsDelta.Should().BeTrue();
        registry.Get(GraphResourceKeys.Groups)!.ListPageSize.Should().Be(999);
        // Issue 16: custom Intune role definitions restore (the plan blocks the built-in ones, isBuiltIn).
        registry.Get(GraphResourceKeys.RoleDefinitions)!.SupportsRestore.Should().BeTrue();
        registry.Get(GraphResourceKeys.RoleDefinitions)!.StripBeforeWrite.Should().Contain(["isBuiltIn", "isBuiltInRoleDefinition"]);
    }

    [Fact]
    public void Every_child_collection_is_read_with_its_object_left_out_of_its_body_and_allowed_only_the_writes_it_declares()
    {
        foreach (var contract in registry.Contracts)
        {
            foreach (var children in contract.ChildCollections)
            {
                var name = $"{contract.Key}/{children.Navigation}";
                var below = $"/{contract.ApiVersion}/{contract.CollectionPath}/abc/{children.Navigation}";
                (children.KeyProperty is null && children.Updates).Should().BeFalse($"{name}: a child changed in place is matched on a key (matched whole, it never differs)");
                (contract.GetExpand ?? "").Split(',').Should().Contain(children.Navigation, $"{name}: the backup reads the children with the object");
                contract.StripBeforeWrite.Should().Contain(children.Navigation, $"{name}: Graph does not take the children in the object's body");
                Kind("GET", below).Should().Be(GraphOperationKind.ReadNavigation, $"{name}: an update reads the target's children");
                if (children.WriteAction is { } action)
                {
                    registry.Match("POST", $"/{contract.ApiVersion}/{contract.CollectionPath}/abc/{action.Name}").Should().NotBeNull($"{name}: written with {action.Name}");
                    registry.Match("POST", below).Should().BeNull($"{name}: written only with {action.Name}");
                    continue;
                }

                Kind("POST", below).Should().Be(GraphOperationKind.WriteNavigation, $"{name}: created below the object");
                Kind("DELETE", below + "/c1").Should().Be(GraphOperationKind.WriteNavigation, $"{name}: deleted below the object");
                (registry.Match("PATCH", below + "/c1") is not null).Should().Be(children.Updates, $"{name}: PATCH is allowed exactly when Graph changes a child in place");
            }
        }

        registry.Contracts.Where(c => c.ChildCollections.Count > 0).Select(c => c.Key).Should().BeEquivalentTo(
            GraphResourceKeys.NotificationMessageTemplates, GraphResourceKeys.WindowsInformationProtectionPolicies,
            GraphResourceKeys.MdmWindowsInformationProtectionPolicies, GraphResourceKeys.PolicySets);

        GraphOperationKind? Kind(string method, string path) => registry.Match(method, path)?.Operation.Kind;
    }

    [Fact]
    public void Windows_information_protection_and_policy_sets_write_their_child_objects_below_the_object()
    {
        foreach (var key in new[] { GraphResourceKeys.WindowsInformationProtectionPolicies, GraphResourceKeys.MdmWindowsInformationProtectionPolicies })
        {
            var wip = registry.Get(key)!;
            var path = wip.CollectionPath;
            wip.GetExpand.Should().Be("protectedAppLockerFiles,exemptAppLockerFiles,assignments");
            wip.ChildCollections.Should().Equal(new GraphChildCollection("protectedAppLockerFiles"), new GraphChildCollection("exemptAppLockerFiles"));
            wip.StripBeforeWrite.Should().Contain(["protectedAppLockerFiles", "exemptAppLockerFiles"], "the files are written below the policy");
            wip.AssignAction.Should().Be("assign");
            registry.Match("POST", $"/beta/{path}/abc/protectedAppLockerFiles")!.Operation.Kind.Should().Be(GraphOperationKind.WriteNavigation);
            registry.Match("DELETE", $"/beta/{path}/abc/exemptAppLockerFiles/f1")!.Operation.Kind.Should().Be(GraphOperationKind.WriteNavigation);
            registry.Match("GET", $"/beta/{path}/abc/exemptAppLockerFiles?$skiptoken=x")!.Operation.Kind.Should().Be(GraphOperationKind.ReadNavigation);
        }

        var sets = registry.Get(GraphResourceKeys.PolicySets)!;
        sets.CollectionPath.Should().Be("deviceAppManagement/policySets");
        sets.GetExpand.Should().Be("items,assignments");
        (sets.AssignAction, sets.AssignBodyProperty, sets.ChildCollections.Single().WriteAction?.Name).Should().Be(("update", "assignments", "update"), "Graph has no assign action for a policy set");
        sets.StripBeforeWrite.Should().Contain(["items", "status", "errorCode"]);
        sets.ReadPermissions[0].Should().Be("DeviceManagementConfiguration.Read.All");
        registry.Match("POST", "/beta/deviceAppManagement/policySets/abc/update")!.Resource!.Key.Should().Be(GraphResourceKeys.PolicySets);
        registry.Match("GET", "/beta/deviceAppManagement/policySets/abc/items")!.Operation.Kind.Should().Be(GraphOperationKind.ReadNavigation);
        registry.Match("POST", "/beta/deviceAppManagement/policySets/abc/assign").Should().BeNull();
        registry.Match("POST", "/beta/deviceAppManagement/policySets/abc/items").Should().BeNull("items are written only with the update action");
    }

    [Theory]
    [InlineData(GraphResourceKeys.ConditionalAccessPolicies, "identity/conditionalAccess/policies")]
    [InlineData(GraphResourceKeys.NamedLocations, "identity/conditionalAccess/namedLocations")]
    public void Conditional_access_families_are_v1_entra_families_with_their_own_budget(string key, string path)
    {
        var contract = registry.Get(key)!;

        contract.Kind.Should().Be(GraphResourceKind.PolicyFamily);
        contract.Group.Should().Be(GraphFamilyGroup.Entra);
        contract.ApiVersion.Should().Be("v1.0");
        contract.CollectionPath.Should().Be(path);
        contract.HasAssignments.Should().BeFalse();
        contract.AssignAction.Should().BeNull();
        (contract.CreateMethod, contract.UpdateMethod).Should().Be(("POST", "PATCH"));
        contract.ReadPermissions.Should().Equal("Policy.Read.All", "Policy.ReadWrite.ConditionalAccess");
        contract.WritePermissions.Should().Equal("Policy.ReadWrite.ConditionalAccess");
        contract.Budget.Should().Be(GraphBudgetKind.ConditionalAccess);
        contract.StripBeforeWrite.Should().Contain(["id", "createdDateTime", "modifiedDateTime"]);
        registry.Match("GET", $"/v1.0/{path}?$select=id,displayName")!.Resource!.Key.Should().Be(key);
        registry.Match("PATCH", $"/v1.0/{path}/abc")!.Operation.Kind.Should().Be(GraphOperationKind.Update);
        registry.Match("POST", $"/v1.0/{path}/abc/assign").Should().BeNull();
        registry.Get(GraphResourceKeys.DeviceConfigurations)!.Budget.Should().Be(GraphBudgetKind.Intune);
    }

    [Fact]
    public void Every_policy_family_is_restorable_or_says_why_not()
    {
        var registry = new GraphContractRegistry();

        registry.Contracts.Where(c => c.Kind == GraphResourceKind.PolicyFamily && !c.SupportsRestore && string.IsNullOrWhiteSpace(c.NotRestorableReason))
            .Select(c => c.Key).Should().BeEmpty("the plan shows the reason on every blocked item of the family");
        registry.Contracts.Where(c => c.SupportsRestore).Select(c => c.ToInfo())
            .Should().OnlyContain(i => i.NotRestorableReason == null);
    }

    [Fact]
    public void The_contracts_tell_pickers_the_policy_families_and_their_labels()
    {
        var contracts = fixture.App.Contracts;

        contracts.PolicyFamilies.Select(f => f.Key).Should().Equal(
            "deviceConfigurations", "deviceCompliancePolicies", "configurationPolicies", "groupPolicyConfigurations", "deviceManagementScripts",
            "mobileAppConfigurations", "iosManagedAppProtections", "androidManagedAppProtections", "windowsManagedAppProtections",
            "windowsInformationProtectionPolicies", "mdmWindowsInformationProtectionPolicies", "policySets", "targetedManagedAppConfigurations",
            "mobileApps", "windowsAutopilotDeploymentProfiles", "deviceHealthScripts", "deviceShellScripts", "deviceCustomAttributeShellScripts",
            "deviceComplianceScripts", "windowsFeatureUpdateProfiles", "windowsQualityUpdateProfiles", "windowsDriverUpdateProfiles",
            "compliancePolicies", "intents", "reusablePolicySettings", "deviceEnrollmentConfigurations", "termsAndConditions", "notificationMessageTemplates", "intuneBrandingProfiles",
            "conditionalAccessPolicies", "namedLocations", "assignmentFilters", "roleScopeTags",
            "roleDefinitions");
        string[] entra = [GraphResourceKeys.ConditionalAccessPolicies, GraphResourceKeys.NamedLocations];
        // Backed up in their own right, with their kinds kept for restore's reference mapping and the directory cache.
        string[] tenantWide = [GraphResourceKeys.AssignmentFilters, GraphResourceKeys.RoleScopeTags, GraphResourceKeys.RoleDefinitions];
        contracts.PolicyFamilies.Where(f => tenantWide.Contains(f.Key))
            .Should().OnlyContain(f => f.Kind != GraphResourceKind.PolicyFamily && !f.HasAssignments && f.Group == GraphFamilyGroup.TenantWide);
        contracts.PolicyFamilies.Where(f => f.BuiltInProperty != null).Select(f => f.Key).Should().Equal("roleScopeTags", "roleDefinitions");
        contracts.PolicyFamilies.Should().OnlyContain(f => f.Label.Length > 0);
        contracts.PolicyFamilies.Where(f => !f.SupportsRestore).Select(f => f.Key).Should().Equal(["mobileApps"], "every other family restores");
        // Reusable settings are used by settings catalog policies and notification templates by compliance actions: neither
        // is assigned itself; every other Intune family is (policy sets are checked below).
        string[] unassigned = [GraphResourceKeys.ReusablePolicySettings, GraphResourceKeys.NotificationMessageTemplates];
        contracts.PolicyFamilies.Where(f => !entra.Contains(f.Key) && !tenantWide.Contains(f.Key) && !unassigned.Contains(f.Key) && f.Key != GraphResourceKeys.PolicySets)
            .Should().OnlyContain(f => f.HasAssignments && f.CrossTenantRestoreBlockedReason == null);
        contracts.Find(GraphResourceKeys.ReusablePolicySettings)!.Should().Match<GraphResourceInfo>(f => !f.HasAssignments && f.SupportsRestore && f.CrossTenantRestoreBlockedReason == null);
        contracts.Find(GraphResourceKeys.NotificationMessageTemplates)!.Should().Match<GraphResourceInfo>(f => !f.HasAssignments && f.SupportsRestore && f.Group == GraphFamilyGroup.TenantWide);
        contracts.PolicyFamilies.Where(f => f.DefaultObjectIdMarker != null || f.DefaultObjectProperty != null).Select(f => f.Key)
            .Should().Equal("deviceEnrollmentConfigurations", "intuneBrandingProfiles");
        // Policy sets: assigned, Tenant-wide (they bundle objects of every group), restored only into their own tenant
        // (their items name objects by this tenant's ids).
        var policySets = contracts.Find(GraphResourceKeys.PolicySets)!;
        (policySets.Kind, policySets.Group, policySets.HasAssignments, policySets.SupportsRestore).Should().Be((GraphResourceKind.PolicyFamily, GraphFamilyGroup.TenantWide, true, true));
        policySets.CrossTenantRestoreBlockedReason.Should().Contain("payloadId");
        // Windows Information Protection: restorable, labelled as deprecated by Microsoft.
        contracts.PolicyFamilies.Where(f => f.Key.EndsWith("informationProtectionPolicies", StringComparison.OrdinalIgnoreCase))
            .Should().HaveCount(2).And.OnlyContain(f => f.Label.Contains("deprecated by Microsoft") && f.SupportsRestore && f.Group == GraphFamilyGroup.Apps);
        // Conditional Access has no assignments (who a policy applies to is inside its conditions) and restores only
        // into its own tenant; named locations restore anywhere.
        contracts.PolicyFamilies.Where(f => entra.Contains(f.Key)).Should().OnlyContain(f => !f.HasAssignments && f.Group == GraphFamilyGroup.Entra);
        contracts.Find(GraphResourceKeys.ConditionalAccessPolicies)!.CrossTenantRestoreBlockedReason.Should().Contain("ids");
        contracts.Find(GraphResourceKeys.NamedLocations)!.CrossTenantRestoreBlockedReason.Should().BeNull();
        contracts.Find("configurationPolicies")!.Label.Should().Be("Settings catalog");
        contracts.Find("users").Should().BeNull();
        contracts.All.Should().HaveCount(36);
    }

    [Fact]
    public void Terms_are_assigned_one_by_one_templates_write_their_localized_messages_and_branding_selects_its_images()
    {
        var terms = registry.Get(GraphResourceKeys.TermsAndConditions)!;
        var templates = registry.Get(GraphResourceKeys.NotificationMessageTemplates)!;
        var branding = registry.Get(GraphResourceKeys.IntuneBrandingProfiles)!;

        terms.AssignAction.Should().BeNull("Graph has no assign action for terms and conditions");
        terms.AssignsOneByOne.Should().BeTrue();
        terms.GetExpand.Should().Be("assignments");
        terms.StripBeforeWrite.Should().Contain(["version", "acceptanceStatuses", "groupAssignments"]);
        registry.Match("POST", $"/beta/deviceManagement/termsAndConditions/{Guid.Empty}/assignments")!.Operation.Kind.Should().Be(GraphOperationKind.Assign);
        registry.Match("DELETE", $"/beta/deviceManagement/termsAndConditions/{Guid.Empty}/assignments/a1")!.Operation.Kind.Should().Be(GraphOperationKind.Assign);
        registry.Match("POST", $"/beta/deviceManagement/termsAndConditions/{Guid.Empty}/assign").Should().BeNull();

        templates.HasAssignments.Should().BeFalse();
        templates.GetExpand.Should().Be("localizedNotificationMessages");
        templates.ChildCollections.Should().Equal(new GraphChildCollection("localizedNotificationMessages") { KeyProperty = "locale", Updates = true });
        templates.StripBeforeWrite.Should().Contain("localizedNotificationMessages", "the messages are written one by one after the template");
        foreach (var method in new[] { "PATCH", "DELETE" })
        {
            registry.Match(method, $"/beta/deviceManagement/notificationMessageTemplates/{Guid.Empty}/localizedNotificationMessages/m1")!.Operation.Kind
                .Should().Be(GraphOperationKind.WriteNavigation);
        }

        registry.Match("POST", $"/beta/deviceManagement/notificationMessageTemplates/{Guid.Empty}/assign").Should().BeNull();
        branding.SelectOnlyProperties.Should().Equal("themeColorLogo", "lightBackgroundLogo", "landingPageCustomizedImage");
        branding.DisplayNameProperty.Should().Be("profileName");
        branding.StripBeforeWrite.Should().Contain("isDefaultProfile");
        branding.ToInfo().DefaultObjectProperty.Should().Be("isDefaultProfile");
        branding.ReadPermissions.Should().Contain("DeviceManagementApps.Read.All");
    }

    [Fact]
    public void Endpoint_security_intents_are_read_below_each_intent_and_created_from_their_template_and_reusable_settings_are_not_assigned()
    {
        var intents = registry.Get(GraphResourceKeys.Intents)!;
        var reusable = registry.Get(GraphResourceKeys.ReusablePolicySettings)!;

        intents.CollectionPath.Should().Be("deviceManagement/intents");
        intents.Group.Should().Be(GraphFamilyGroup.EndpointSecurity);
        intents.ListExpand.Should().BeNull("Graph answers an intent's expanded assignments empty");
        intents.GetExpand.Should().BeNull();
        intents.SeparateReads.Should().Equal("settings", "assignments");
        intents.TemplateInstance.Should().Be(new TemplateInstanceWrites("deviceManagement/templates", "templateId", "createInstance", "updateSettings", "settings"));
        intents.StripBeforeWrite.Should().Contain(["templateId", "settings", "isAssigned"]);
        intents.SupportsRestore.Should().BeTrue();
        intents.AssignAction.Should().Be("assign");
        intents.AssignBodyProperty.Should().Be("assignments");
        reusable.CollectionPath.Should().Be("deviceManagement/reusablePolicySettings");
        reusable.Group.Should().Be(GraphFamilyGroup.EndpointSecurity);
        reusable.HasAssignments.Should().BeFalse();
        reusable.AssignAction.Should().BeNull();
        reusable.UpdateMethod.Should().Be("PATCH");
        reusable.StripBeforeWrite.Should().Contain(["referencingConfigurationPolicyCount", "referencingConfigurationPolicies", "version"]);
    }

    [Fact]
    public void Apps_are_read_with_their_assignments_and_never_written_because_their_package_is_not_in_graphs_json()
    {
        var apps = registry.Get(GraphResourceKeys.MobileApps)!;

        apps.Kind.Should().Be(GraphResourceKind.PolicyFamily);
        apps.CollectionPath.Should().Be("deviceAppManagement/mobileApps");
        apps.ApiVersion.Should().Be("beta");
        apps.GetExpand.Should().Be("assignments");
        apps.HasAssignments.Should().BeTrue();
        apps.SupportsRestore.Should().BeFalse();
        apps.ToInfo().NotRestorableReason.Should().Contain("package").And.Contain("add the app in Intune");
        apps.Operations.Should().OnlyContain(o => o.Method == "GET", "nothing writes an app");
        registry.Match("POST", "/beta/deviceAppManagement/mobileApps/1/assign").Should().BeNull();
        registry.Match("GET", "/beta/deviceAppManagement/mobileApps?$select=id,displayName&$expand=assignments").Should().NotBeNull();
    }

    [Fact]
    public void The_retired_abstract_app_policy_family_names_old_backups_but_is_offered_nowhere_and_not_restored()
    {
        var contracts = fixture.App.Contracts;

        var retired = contracts.Find(GraphResourceKeys.ManagedAppPolicies)!;

        retired.Retired.Should().BeTrue();
        retired.Label.Should().NotBeNullOrWhiteSpace("old backup items keep a label");
        retired.SupportsRestore.Should().BeFalse();
        retired.NotRestorableReason.Should().Contain("Take a new backup");
        contracts.PolicyFamilies.Select(f => f.Key).Should().NotContain(GraphResourceKeys.ManagedAppPolicies);
        contracts.PolicyFamilyGroups.SelectMany(g => g.Families).Select(f => f.Key).Should().NotContain(GraphResourceKeys.ManagedAppPolicies);
        contracts.All.Should().Contain(f => f.Key == GraphResourceKeys.ManagedAppPolicies, "restore plans block its items with the reason");
        contracts.PolicyFamilies.Should().OnlyContain(f => !f.Retired);
        registry.Match("POST", "/beta/deviceAppManagement/managedAppPolicies").Should().BeNull("nothing writes the retired family");
    }

    [Theory]
    [InlineData("GET", "/beta/deviceManagement/deviceConfigurations?$select=id,displayName", "List")]
    [InlineData("GET", "/beta/deviceManagement/deviceConfigurations?$select=id&$skiptoken=abc", "List")]
    [InlineData("GET", "/beta/deviceManagement/deviceConfigurations/1234?$expand=assignments", "Get")]
    [InlineData("GET", "/beta/deviceManagement/groupPolicyConfigurations/1/definitionValues/2/presentationValues?$expand=presentation", "ReadNavigation")]
    [InlineData("GET", "/v1.0/groups/delta?$deltatoken=xyz", "Delta")]
    [InlineData("GET", "/v1.0/groups/delta()?$select=id", "Delta")]
    [InlineData("POST", "/beta/deviceManagement/deviceConfigurations", "Create")]
    [InlineData("PUT", "/beta/deviceManagement/configurationPolicies/1", "Update")]
    [InlineData("POST", "/beta/deviceManagement/deviceConfigurations/1/assign", "Assign")]
    [InlineData("POST", "/beta/deviceManagement/groupPolicyConfigurations/1/definitionValues", "WriteNavigation")]
    [InlineData("DELETE", "/beta/deviceManagement/groupPolicyConfigurations/1/definitionValues/2", "WriteNavigation")]
    [InlineData("POST", "/beta/deviceAppManagement/iosManagedAppProtections/T_1/targetApps", "WriteNavigation")]
    [InlineData("GET", "/beta/deviceAppManagement/androidManagedAppProtections/T_1?$expand=apps,assignments", "Get")]
    [InlineData("POST", "/beta/$batch", "Batch")]
    [InlineData("DELETE", "/beta/deviceManagement/deviceConfigurations/1", "Delete")]
    [InlineData("GET", "/beta/deviceManagement/intents/1/settings?$skiptoken=abc", "ReadNavigation")]
    [InlineData("GET", "/beta/deviceManagement/templates/T1", "Get")]
    [InlineData("POST", "/beta/deviceManagement/templates/T1/createInstance", "Create")]
    [InlineData("POST", "/beta/deviceManagement/intents/1/updateSettings", "WriteNavigation")]
    [InlineData("PATCH", "/beta/deviceManagement/reusablePolicySettings/1", "Update")]
    public void Requests_of_registered_operations_match(string method, string pathAndQuery, string kind)
    {
        registry.Match(method, pathAndQuery)!.Operation.Kind.ToString().Should().Be(kind);
    }

    [Theory]
    [InlineData("GET", "/v1.0/users")]
    [InlineData("GET", "/v1.0/deviceManagement/configurationPolicies")]
    [InlineData("GET", "/beta/groups")]
    [InlineData("PATCH", "/beta/deviceManagement/configurationPolicies/1")]
    [InlineData("POST", "/beta/deviceManagement/roleDefinitions/1/roleAssignments")]
    [InlineData("PUT", "/beta/deviceManagement/roleDefinitions/1")]
    [InlineData("DELETE", "/v1.0/groups/1")]
    [InlineData("DELETE", "/beta/deviceManagement/deviceConfigurations")]
    [InlineData("GET", "/beta/deviceManagement/deviceConfigurations?$deltatoken=x")]
    [InlineData("GET", "/beta/deviceManagement/deviceConfigurations?$search=x")]
    [InlineData("GET", "/beta/deviceManagement/deviceConfigurations/1/settings")]
    [InlineData("POST", "/beta/deviceManagement/deviceConfigurations?$select=id")]
    [InlineData("GET", "/beta/$batch")]
    [InlineData("GET", "/groups")]
    [InlineData("POST", "/beta/deviceManagement/intents")]
    [InlineData("GET", "/beta/deviceManagement/templates")]
    [InlineData("POST", "/beta/deviceManagement/templates")]
    [InlineData("DELETE", "/beta/deviceManagement/templates/T1")]
    [InlineData("POST", "/beta/deviceManagement/reusablePolicySettings/1/assign")]
    public void Anything_else_does_not_match(string method, string pathAndQuery)
    {
        registry.Match(method, pathAndQuery).Should().BeNull();
    }

    [Fact]
    public void Preparing_a_backed_up_object_for_writing_strips_what_graph_rejects()
    {
        var policy = JsonNode.Parse("""
            {"@odata.context":"x","@odata.type":"#microsoft.graph.windows10GeneralConfiguration","id":"1","displayName":"A","version":3,
             "createdDateTime":"2024-01-01T00:00:00Z","lastModifiedDateTime":"2024-01-01T00:00:00Z","supportsScopeTags":true,
             "assignments@odata.context":"y","assignments":[],"passwordRequired":true}
            """)!.AsObject();
        var catalog = JsonNode.Parse("""
            {"id":"1","name":"B","description":"d","platforms":"windows10","technologies":"mdm","settingCount":2,"creationSource":null,
             "isAssigned":true,"templateReference":{},"settings":[],"roleScopeTagIds":["0"],"priorityMetaData":{}}
            """)!.AsObject();

        var create = GraphContractRegistry.PrepareForWrite(registry.Get("deviceConfigurations")!, policy, forUpdate: false);
        var put = GraphContractRegistry.PrepareForWrite(registry.Get("configurationPolicies")!, catalog, forUpdate: true);

        create.Select(p => p.Key).Should().BeEquivalentTo("@odata.type", "displayName", "passwordRequired");
        put.Select(p => p.Key).Should().BeEquivalentTo("name", "description", "platforms", "technologies", "templateReference", "settings", "roleScopeTagIds");
    }

    [Fact]
    public async Task The_gateway_refuses_types_outside_the_registry_without_sending()
    {
        var tenant = fixture.NewTenant();
        var id = fixture.App.AddTenant(tenant);

        var unknown = await Assert.ThrowsAsync<GraphRequestException>(() => fixture.App.ListAllAsync(id, "users"));
        var wrongKind = await Assert.ThrowsAsync<GraphRequestException>(() => fixture.App.Gateway.GetPolicyAsync(id, GraphResourceKeys.Groups, "0"));

        unknown.Kind.Should().Be(GraphFailureKind.NotInRegistry);
        wrongKind.Kind.Should().Be(GraphFailureKind.NotInRegistry);
        fixture.Emulator.RequestLog(tenant.TenantId).Should().BeEmpty();
    }

    [Fact]
    public async Task The_pipeline_itself_refuses_an_unregistered_request()
    {
        var tenant = fixture.NewTenant();
        var id = fixture.App.AddTenant(tenant);
        var client = await fixture.App.Get<TenantAtlas.Graph.Clients.TenantGraphClients>().GetAsync(id, default);

        var failure = await Assert.ThrowsAsync<GraphRequestException>(
            () => TenantAtlas.Graph.Gateway.GraphRequests.GetAsync(client, client.Url("v1.0", "users?$select=id"), null, default));

        failure.Kind.Should().Be(GraphFailureKind.NotInRegistry);
        failure.Message.Should().Contain("/v1.0/users");
        fixture.Emulator.RequestLog(tenant.TenantId).Where(e => e.Kind == "graph").Should().BeEmpty();
    }
}
