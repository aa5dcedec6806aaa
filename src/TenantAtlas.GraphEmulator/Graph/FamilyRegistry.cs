namespace TenantAtlas.GraphEmulator.Graph;

internal static class FamilyRegistry
{
    private static readonly string[] ConfigRead =
    [
        GraphPermissions.DeviceManagementConfigurationRead,
        GraphPermissions.DeviceManagementConfigurationReadWrite,
    ];

    private static readonly string[] ConfigWrite = [GraphPermissions.DeviceManagementConfigurationReadWrite];

    private static readonly string[] ManagedDevicesRead =
    [
        GraphPermissions.DeviceManagementManagedDevicesRead,
        GraphPermissions.DeviceManagementManagedDevicesReadWrite,
    ];

    private static readonly string[] ManagedDevicesWrite = [GraphPermissions.DeviceManagementManagedDevicesReadWrite];

    private static readonly string[] ConditionalAccessRead =
    [
        GraphPermissions.PolicyRead, GraphPermissions.PolicyReadWriteConditionalAccess,
    ];

    private static readonly string[] ConditionalAccessWrite = [GraphPermissions.PolicyReadWriteConditionalAccess];
    private static readonly string[] ServiceConfigRead =
    [
        GraphPermissions.DeviceManagementServiceConfigRead, GraphPermissions.DeviceManagementServiceConfigReadWrite,
    ];

    private static readonly string[] ServiceConfigWrite = [GraphPermissions.DeviceManagementServiceConfigReadWrite];

    private static readonly string[] AppsRead = [GraphPermissions.DeviceManagementAppsRead, GraphPermissions.DeviceManagementAppsReadWrite];

    private static readonly string[] AppsWrite = [GraphPermissions.DeviceManagementAppsReadWrite];

    private static readonly string[] WipAppLockerFiles = ["protectedAppLockerFiles", "exemptAppLockerFiles"];

    /// <summary>The AppLocker files: created and deleted below the policy, never changed in place.</summary>
    private static readonly ChildCollectionDefinition[] WipAppLockerFileCollections =
        [.. WipAppLockerFiles.Select(n => new ChildCollectionDefinition(n, ["microsoft.graph.windowsInformationProtectionAppLockerFile"]) { WrittenBelow = true })];

    /// <summary>The policy set item types the emulator knows (each described in the schema).</summary>
    public static readonly string[] PolicySetItemTypes =
    [
        "microsoft.graph.deviceConfigurationPolicySetItem", "microsoft.graph.deviceCompliancePolicyPolicySetItem",
        "microsoft.graph.mobileAppPolicySetItem", "microsoft.graph.managedAppProtectionPolicySetItem",
    ];

    private static readonly FamilyDefinition[] All =
    [
        new()
        {
            Name = GraphFamilies.Groups,
            Parent = "",
            EntityType = "microsoft.graph.group",
            InV1 = true,
            IsDirectory = true,
            ReadPermissions =
            [
                GraphPermissions.GroupRead, GraphPermissions.GroupReadWrite, GraphPermissions.GroupMemberRead,
                GraphPermissions.GroupMemberReadWrite, GraphPermissions.DirectoryRead, GraphPermissions.DirectoryReadWrite,
            ],
            WritePermissions = [GraphPermissions.GroupReadWrite, GraphPermissions.DirectoryReadWrite],
            DefaultPageSize = 100,
            MaxPageSize = 999,
            BaseProperties = Set(
                "id", "deletedDateTime", "classification", "createdDateTime", "creationOptions", "description", "displayName",
                "expirationDateTime", "groupTypes", "isAssignableToRole", "mail", "mailEnabled", "mailNickname", "membershipRule",
                "membershipRuleProcessingState", "onPremisesDomainName", "onPremisesLastSyncDateTime", "onPremisesNetBiosName",
                "onPremisesSamAccountName", "onPremisesSecurityIdentifier", "onPremisesSyncEnabled", "preferredDataLocation",
                "preferredLanguage", "proxyAddresses", "renewedDateTime", "resourceBehaviorOptions", "resourceProvisioningOptions",
                "securityEnabled", "securityIdentifier", "theme", "uniqueName", "visibility", "onPremisesProvisioningErrors",
                "serviceProvisioningErrors"),
        },
        new()
        {
            Name = GraphFamilies.DeviceConfigurations,
            Parent = "deviceManagement",
            EntityType = "microsoft.graph.deviceConfiguration",
            AssignmentType = "microsoft.graph.deviceConfigurationAssignment",
            InV1 = true,
            Polymorphic = true,
            KnownTypes = ["microsoft.graph.windows10GeneralConfiguration", "microsoft.graph.windows10CustomConfiguration", "microsoft.graph.windows10EndpointProtectionConfiguration", "microsoft.graph.windowsUpdateForBusinessConfiguration", "microsoft.graph.iosGeneralDeviceConfiguration", "microsoft.graph.androidWorkProfileGeneralDeviceConfiguration", "microsoft.graph.macOSGeneralDeviceConfiguration"],
            ReadPermissions = ConfigRead,
            WritePermissions = ConfigWrite,
            HasAssignments = true,
            HasVersion = true,
            BaseProperties = Set(
                "id", "lastModifiedDateTime", "roleScopeTagIds", "supportsScopeTags", "deviceManagementApplicabilityRuleOsEdition",
                "deviceManagementApplicabilityRuleOsVersion", "deviceManagementApplicabilityRuleDeviceMode", "createdDateTime",
                "description", "displayName", "version"),
        },
        new()
        {
            Name = GraphFamilies.DeviceCompliancePolicies,
            Parent = "deviceManagement",
            EntityType = "microsoft.graph.deviceCompliancePolicy",
            AssignmentType = "microsoft.graph.deviceCompliancePolicyAssignment",
            InV1 = true,
            Polymorphic = true,
            KnownTypes = ["microsoft.graph.windows10CompliancePolicy", "microsoft.graph.iosCompliancePolicy", "microsoft.graph.androidWorkProfileCompliancePolicy", "microsoft.graph.macOSCompliancePolicy"],
            ReadPermissions = ConfigRead,
            WritePermissions = ConfigWrite,
            HasAssignments = true,
            HasVersion = true,
            BaseProperties = Set("id", "createdDateTime", "description", "lastModifiedDateTime", "displayName", "version", "roleScopeTagIds"),
            Navigations = Set("scheduledActionsForRule"),
        },
        new()
        {
            Name = GraphFamilies.ConfigurationPolicies,
            Parent = "deviceManagement",
            EntityType = "microsoft.graph.deviceManagementConfigurationPolicy",
            AssignmentType = "microsoft.graph.deviceManagementConfigurationPolicyAssignment",
            InV1 = false,
            ReadPermissions = ConfigRead,
            WritePermissions = ConfigWrite,
            DefaultPageSize = 25,
            MaxPageSize = 25,
            HasAssignments = true,
            UpdateWithPut = true,
            NameProperty = "name",
            BaseProperties = Set(
                "id", "name", "description", "platforms", "technologies", "createdDateTime", "lastModifiedDateTime", "settingCount",
                "creationSource", "roleScopeTagIds", "isAssigned", "templateReference", "priorityMetaData"),
            Navigations = Set("settings"),
        },
        new()
        {
            Name = GraphFamilies.GroupPolicyConfigurations,
            Parent = "deviceManagement",
            EntityType = "microsoft.graph.groupPolicyConfiguration",
            AssignmentType = "microsoft.graph.groupPolicyConfigurationAssignment",
            InV1 = false,
            ReadPermissions = ConfigRead,
            WritePermissions = ConfigWrite,
            HasAssignments = true,
            BaseProperties = Set(
                "id", "displayName", "description", "roleScopeTagIds", "policyConfigurationIngestionType", "createdDateTime",
                "lastModifiedDateTime"),
            Navigations = Set("definitionValues"),
        },
        new()
        {
            Name = GraphFamilies.DeviceManagementScripts,
            Parent = "deviceManagement",
            EntityType = "microsoft.graph.deviceManagementScript",
            AssignmentType = "microsoft.graph.deviceManagementScriptAssignment",
            InV1 = false,
            ReadPermissions =
            [
                .. ConfigRead, GraphPermissions.DeviceManagementScriptsRead, GraphPermissions.DeviceManagementScriptsReadWrite,
            ],
            WritePermissions = [.. ConfigWrite, GraphPermissions.DeviceManagementScriptsReadWrite],
            HasAssignments = true,
            AssignReply = AssignReply.NoContent,
            AssignBodyProperty = "deviceManagementScriptAssignments",
            BaseProperties = Set(
                "id", "displayName", "description", "scriptContent", "createdDateTime", "lastModifiedDateTime", "runAsAccount",
                "enforceSignatureCheck", "fileName", "roleScopeTagIds", "runAs32Bit"),
            OmittedFromList = Set("scriptContent"),
            TypedItems = true,
        },
        new()
        {
            // Remediations: a detection and a remediation script; their content (base64) comes only from a GET by id.
            Name = GraphFamilies.DeviceHealthScripts,
            Parent = "deviceManagement",
            EntityType = "microsoft.graph.deviceHealthScript",
            AssignmentType = "microsoft.graph.deviceHealthScriptAssignment",
            InV1 = false,
            ReadPermissions = ConfigRead,
            WritePermissions = ConfigWrite,
            HasAssignments = true,
            AssignReply = AssignReply.NoContent,
            AssignBodyProperty = "deviceHealthScriptAssignments",
            HasVersion = true,
            TextVersion = true,
            TypedItems = true,
            BaseProperties = Set(
                "id", "publisher", "version", "displayName", "description", "detectionScriptContent", "remediationScriptContent",
                "createdDateTime", "lastModifiedDateTime", "runAsAccount", "enforceSignatureCheck", "runAs32Bit", "roleScopeTagIds",
                "isGlobalScript", "highestAvailableVersion", "detectionScriptParameters", "remediationScriptParameters"),
            OmittedFromList = Set("detectionScriptContent", "remediationScriptContent"),
        },
        new()
        {
            // macOS shell scripts: Microsoft's reference names the managed-devices permissions for them.
            Name = GraphFamilies.DeviceShellScripts,
            Parent = "deviceManagement",
            EntityType = "microsoft.graph.deviceShellScript",
            AssignmentType = "microsoft.graph.deviceManagementScriptAssignment",
            InV1 = false,
            ReadPermissions = ManagedDevicesRead,
            WritePermissions = ManagedDevicesWrite,
            HasAssignments = true,
            AssignReply = AssignReply.NoContent,
            AssignBodyProperty = "deviceManagementScriptAssignments",
            TypedItems = true,
            BaseProperties = Set(
                "executionFrequency", "retryCount", "blockExecutionNotifications", "id", "displayName", "description", "scriptContent",
                "createdDateTime", "lastModifiedDateTime", "runAsAccount", "fileName", "roleScopeTagIds"),
            OmittedFromList = Set("scriptContent"),
        },
        new()
        {
            // macOS custom attributes: a shell script whose output Intune reports as the attribute's value.
            Name = GraphFamilies.DeviceCustomAttributeShellScripts,
            Parent = "deviceManagement",
            EntityType = "microsoft.graph.deviceCustomAttributeShellScript",
            AssignmentType = "microsoft.graph.deviceManagementScriptAssignment",
            InV1 = false,
            ReadPermissions = ManagedDevicesRead,
            WritePermissions = ManagedDevicesWrite,
            HasAssignments = true,
            AssignReply = AssignReply.NoContent,
            AssignBodyProperty = "deviceManagementScriptAssignments",
            TypedItems = true,
            BaseProperties = Set(
                "id", "customAttributeName", "customAttributeType", "displayName", "description", "scriptContent", "createdDateTime",
                "lastModifiedDateTime", "runAsAccount", "fileName", "roleScopeTagIds"),
            OmittedFromList = Set("scriptContent"),
        },
        new()
        {
            // Custom compliance: a detection script whose JSON output compliance policies evaluate; assigned like remediations.
            Name = GraphFamilies.DeviceComplianceScripts,
            Parent = "deviceManagement",
            EntityType = "microsoft.graph.deviceComplianceScript",
            AssignmentType = "microsoft.graph.deviceHealthScriptAssignment",
            InV1 = false,
            ReadPermissions = ManagedDevicesRead,
            WritePermissions = ManagedDevicesWrite,
            HasAssignments = true,
            AssignReply = AssignReply.NoContent,
            AssignBodyProperty = "deviceHealthScriptAssignments",
            HasVersion = true,
            TextVersion = true,
            TypedItems = true,
            BaseProperties = Set(
                "id", "publisher", "version", "displayName", "description", "detectionScriptContent", "createdDateTime",
                "lastModifiedDateTime", "runAsAccount", "enforceSignatureCheck", "runAs32Bit", "roleScopeTagIds"),
            OmittedFromList = Set("detectionScriptContent"),
        },
        new()
        {
            // Feature update profiles: Intune fills the release's display name and end of support from the version.
            Name = GraphFamilies.WindowsFeatureUpdateProfiles,
            Parent = "deviceManagement",
            EntityType = "microsoft.graph.windowsFeatureUpdateProfile",
            AssignmentType = "microsoft.graph.windowsFeatureUpdateProfileAssignment",
            InV1 = false,
            ReadPermissions = ConfigRead,
            WritePermissions = ConfigWrite,
            HasAssignments = true,
            AssignReply = AssignReply.NoContent,
            BaseProperties = Set(
                "id", "displayName", "description", "featureUpdateVersion", "createdDateTime", "lastModifiedDateTime", "roleScopeTagIds",
                "deployableContentDisplayName", "endOfSupportDate"),
        },
        new()
        {
            // Quality update profiles: an expedited quality update (release and days until a forced reboot).
            Name = GraphFamilies.WindowsQualityUpdateProfiles,
            Parent = "deviceManagement",
            EntityType = "microsoft.graph.windowsQualityUpdateProfile",
            AssignmentType = "microsoft.graph.windowsQualityUpdateProfileAssignment",
            InV1 = false,
            ReadPermissions = ConfigRead,
            WritePermissions = ConfigWrite,
            HasAssignments = true,
            AssignReply = AssignReply.NoContent,
            BaseProperties = Set(
                "id", "displayName", "description", "expeditedUpdateSettings", "createdDateTime", "lastModifiedDateTime", "roleScopeTagIds",
                "releaseDateDisplayName", "deployableContentDisplayName"),
        },
        new()
        {
            // Driver update profiles: manual or automatic approval (with a deferral); device counts are Intune's reports.
            Name = GraphFamilies.WindowsDriverUpdateProfiles,
            Parent = "deviceManagement",
            EntityType = "microsoft.graph.windowsDriverUpdateProfile",
            AssignmentType = "microsoft.graph.windowsDriverUpdateProfileAssignment",
            InV1 = false,
            ReadPermissions = ConfigRead,
            WritePermissions = ConfigWrite,
            HasAssignments = true,
            AssignReply = AssignReply.NoContent,
            BaseProperties = Set(
                "id", "displayName", "description", "approvalType", "deviceReporting", "newUpdates", "deploymentDeferralInDays",
                "createdDateTime", "lastModifiedDateTime", "roleScopeTagIds", "inventorySyncStatus"),
            // The drivers found for the profile's devices (read below it); approvals are written with executeAction.
            Navigations = Set("driverInventories"),
        },
        new()
        {
            // Compliance of the settings catalog: settings (PUT like configurationPolicies) and actions for noncompliance.
            Name = GraphFamilies.CompliancePolicies,
            Parent = "deviceManagement",
            EntityType = "microsoft.graph.deviceManagementCompliancePolicy",
            AssignmentType = "microsoft.graph.deviceManagementConfigurationPolicyAssignment",
            InV1 = false,
            ReadPermissions = ConfigRead,
            WritePermissions = ConfigWrite,
            HasAssignments = true,
            UpdateWithPut = true,
            NameProperty = "name",
            BaseProperties = Set(
                "id", "name", "description", "platforms", "technologies", "createdDateTime", "lastModifiedDateTime", "settingCount",
                "creationSource", "roleScopeTagIds", "isAssigned"),
            Navigations = Set("settings", "scheduledActionsForRule"),
        },
        new()
        {
            // Endpoint security intents (beta reference: intune-deviceintent-devicemanagementintent-*): made from a template
            // with its createInstance, settings (deviceManagementSettingInstance: definitionId, valueJson) changed with
            // updateSettings; an expanded assignments collection answers empty, as Graph's does.
            Name = GraphFamilies.Intents,
            Parent = "deviceManagement",
            EntityType = "microsoft.graph.deviceManagementIntent",
            AssignmentType = "microsoft.graph.deviceManagementIntentAssignment",
            InV1 = false,
            ReadPermissions = ConfigRead,
            WritePermissions = ConfigWrite,
            HasAssignments = true,
            AssignReply = AssignReply.NoContent,
            AssignmentsNotExpanded = true,
            BaseProperties = PropertiesOf("microsoft.graph.deviceManagementIntent"),
            Navigations = Set("settings"),
        },
        new()
        {
            // Settings catalog reusable settings (intune-deviceconfigv2-devicemanagementreusablepolicysetting-*): one setting
            // instance each, POST and PATCH, no assignments.
            Name = GraphFamilies.ReusablePolicySettings,
            Parent = "deviceManagement",
            EntityType = "microsoft.graph.deviceManagementReusablePolicySetting",
            InV1 = false,
            ReadPermissions = ConfigRead,
            WritePermissions = ConfigWrite,
            HasVersion = true,
            BaseProperties = PropertiesOf("microsoft.graph.deviceManagementReusablePolicySetting"),
            Navigations = Set("referencingConfigurationPolicies"),
        },
        new()
        {
            // The endpoint security templates (intune-deviceintent-devicemanagementtemplate-*): Intune's catalog, read only
            // here; createInstance makes an intent of one, and their settings are the intent's defaults.
            Name = GraphFamilies.Templates,
            Parent = "deviceManagement",
            EntityType = "microsoft.graph.deviceManagementTemplate",
            InV1 = false,
            IsCatalog = true,
            ReadPermissions = ConfigRead,
            WritePermissions = ConfigWrite,
            BaseProperties = PropertiesOf("microsoft.graph.deviceManagementTemplate"),
            Navigations = Set("settings"),
        },
        new()
        {
            // Enrollment configurations (ESP, limits, platform restrictions, Windows Hello): every tenant has one default of
            // each kind (priority 0, id "{tenantId}_Default…") that can be updated but neither created, deleted nor assigned.
            Name = GraphFamilies.DeviceEnrollmentConfigurations,
            Parent = "deviceManagement",
            EntityType = "microsoft.graph.deviceEnrollmentConfiguration",
            AssignmentType = "microsoft.graph.enrollmentConfigurationAssignment",
            InV1 = false,
            Polymorphic = true,
            KnownTypes =
            [
                "microsoft.graph.windows10EnrollmentCompletionPageConfiguration", "microsoft.graph.deviceEnrollmentLimitConfiguration",
                "microsoft.graph.deviceEnrollmentPlatformRestrictionsConfiguration", "microsoft.graph.deviceEnrollmentWindowsHelloForBusinessConfiguration",
            ],
            ReadPermissions =
            [
                GraphPermissions.DeviceManagementServiceConfigRead, GraphPermissions.DeviceManagementServiceConfigReadWrite,
            ],
            WritePermissions = [GraphPermissions.DeviceManagementServiceConfigReadWrite],
            HasAssignments = true,
            AssignReply = AssignReply.NoContent,
            AssignBodyProperty = "enrollmentConfigurationAssignments",
            HasVersion = true,
            BaseProperties = Set(
                "id", "displayName", "description", "priority", "createdDateTime", "lastModifiedDateTime", "version", "roleScopeTagIds"),
        },
        new()
        {
            // Terms and conditions (beta reference: intune-companyterms-termsandconditions-*): no /assign action, each
            // assignment is created and deleted on its own (intune-companyterms-termsandconditionsassignment-*).
            Name = GraphFamilies.TermsAndConditions,
            Parent = "deviceManagement",
            EntityType = "microsoft.graph.termsAndConditions",
            AssignmentType = "microsoft.graph.termsAndConditionsAssignment",
            InV1 = true,
            ReadPermissions = ServiceConfigRead,
            WritePermissions = ServiceConfigWrite,
            HasAssignments = true,
            NoAssignAction = true,
            BaseProperties = PropertiesOf("microsoft.graph.termsAndConditions"),
            Navigations = Set("acceptanceStatuses", "groupAssignments"),
        },
        new()
        {
            // Notification message templates with their localized messages (intune-notification-*), no assignments.
            Name = GraphFamilies.NotificationMessageTemplates,
            Parent = "deviceManagement",
            EntityType = "microsoft.graph.notificationMessageTemplate",
            InV1 = true,
            ReadPermissions = ServiceConfigRead,
            WritePermissions = ServiceConfigWrite,
            BaseProperties = PropertiesOf("microsoft.graph.notificationMessageTemplate"),
            Navigations = Set("localizedNotificationMessages"),
            ChildCollections =
            [
                new("localizedNotificationMessages", ["microsoft.graph.localizedNotificationMessage"])
                {
                    WrittenBelow = true,
                    UpdatedBelow = true,
                    UniqueKey = "locale",
                },
            ],
        },
        new()
        {
            // Company Portal branding (intune-wip-intunebrandingprofile-*): the tenant's default profile is updated only;
            // the images come only when $selected.
            Name = GraphFamilies.IntuneBrandingProfiles,
            Parent = "deviceManagement",
            EntityType = "microsoft.graph.intuneBrandingProfile",
            AssignmentType = "microsoft.graph.intuneBrandingProfileAssignment",
            InV1 = false,
            ReadPermissions = AppsRead,
            WritePermissions = AppsWrite,
            HasAssignments = true,
            AssignReply = AssignReply.NoContent,
            NameProperty = "profileName",
            DefaultProperty = "isDefaultProfile",
            SelectOnly = Set("themeColorLogo", "lightBackgroundLogo", "landingPageCustomizedImage"),
            BaseProperties = PropertiesOf("microsoft.graph.intuneBrandingProfile"),
        },
        new()
        {
            Name = GraphFamilies.MobileAppConfigurations,
            Parent = "deviceAppManagement",
            EntityType = "microsoft.graph.managedDeviceMobileAppConfiguration",
            AssignmentType = "microsoft.graph.managedDeviceMobileAppConfigurationAssignment",
            InV1 = true,
            Polymorphic = true,
            KnownTypes = ["microsoft.graph.iosMobileAppConfiguration", "microsoft.graph.androidManagedStoreAppConfiguration"],
            ReadPermissions = [GraphPermissions.DeviceManagementAppsRead, GraphPermissions.DeviceManagementAppsReadWrite],
            WritePermissions = [GraphPermissions.DeviceManagementAppsReadWrite],
            HasAssignments = true,
            AssignReply = AssignReply.NoContent,
            HasVersion = true,
            BaseProperties = Set(
                "id", "targetedMobileApps", "roleScopeTagIds", "createdDateTime", "description", "lastModifiedDateTime", "displayName",
                "version"),
        },
        new()
        {
            // App protection, read through its platform collection (beta reference: intune-shared-iosmanagedappprotection-*);
            // the protected apps are the apps navigation, written with targetApps (intune-mam-managedappprotection-targetapps).
            Name = GraphFamilies.IosManagedAppProtections,
            Parent = "deviceAppManagement",
            EntityType = "microsoft.graph.iosManagedAppProtection",
            AssignmentType = "microsoft.graph.targetedManagedAppPolicyAssignment",
            InV1 = true,
            ReadPermissions = AppsRead,
            WritePermissions = AppsWrite,
            HasAssignments = true,
            AssignReply = AssignReply.NoContent,
            HasVersion = true,
            EtagVersion = true,
            TypedItems = true,
            TargetsApps = true,
            AppIdentifierTypes = ["microsoft.graph.iosMobileAppIdentifier"],
            BaseProperties = PropertiesOf("microsoft.graph.iosManagedAppProtection"),
            Navigations = Set("apps"),
        },
        new()
        {
            Name = GraphFamilies.AndroidManagedAppProtections,
            Parent = "deviceAppManagement",
            EntityType = "microsoft.graph.androidManagedAppProtection",
            AssignmentType = "microsoft.graph.targetedManagedAppPolicyAssignment",
            InV1 = true,
            ReadPermissions = AppsRead,
            WritePermissions = AppsWrite,
            HasAssignments = true,
            AssignReply = AssignReply.NoContent,
            HasVersion = true,
            EtagVersion = true,
            TypedItems = true,
            TargetsApps = true,
            AppIdentifierTypes = ["microsoft.graph.androidMobileAppIdentifier"],
            BaseProperties = PropertiesOf("microsoft.graph.androidManagedAppProtection"),
            Navigations = Set("apps"),
        },
        new()
        {
            // Windows app protection (MAM for Edge; contrib reference intune-mam-windowsmanagedappprotection-*): apps named
            // by windowsAppIdentifier, written with targetApps.
            Name = GraphFamilies.WindowsManagedAppProtections,
            Parent = "deviceAppManagement",
            EntityType = "microsoft.graph.windowsManagedAppProtection",
            AssignmentType = "microsoft.graph.targetedManagedAppPolicyAssignment",
            InV1 = false,
            ReadPermissions = AppsRead,
            WritePermissions = AppsWrite,
            HasAssignments = true,
            AssignReply = AssignReply.NoContent,
            HasVersion = true,
            EtagVersion = true,
            TypedItems = true,
            TargetsApps = true,
            AppIdentifierTypes = ["microsoft.graph.windowsAppIdentifier"],
            BaseProperties = PropertiesOf("microsoft.graph.windowsManagedAppProtection"),
            Navigations = Set("apps"),
        },
        new()
        {
            // Windows Information Protection without enrollment (beta intune-mam-windowsinformationprotectionpolicy-*;
            // retired by Microsoft): AppLocker files below the policy (…applockerfile-create), assign of windowsInformationProtection.
            Name = GraphFamilies.WindowsInformationProtectionPolicies,
            Parent = "deviceAppManagement",
            EntityType = "microsoft.graph.windowsInformationProtectionPolicy",
            AssignmentType = "microsoft.graph.targetedManagedAppPolicyAssignment",
            InV1 = false,
            ReadPermissions = AppsRead,
            WritePermissions = AppsWrite,
            HasAssignments = true,
            AssignReply = AssignReply.NoContent,
            HasVersion = true,
            EtagVersion = true,
            TypedItems = true,
            BaseProperties = PropertiesOf("microsoft.graph.windowsInformationProtectionPolicy"),
            Navigations = Set(WipAppLockerFiles),
            ChildCollections = WipAppLockerFileCollections,
        },
        new()
        {
            // With enrollment (beta intune-shared-mdmwindowsinformationprotectionpolicy-*): the same shape for enrolled devices.
            Name = GraphFamilies.MdmWindowsInformationProtectionPolicies,
            Parent = "deviceAppManagement",
            EntityType = "microsoft.graph.mdmWindowsInformationProtectionPolicy",
            AssignmentType = "microsoft.graph.targetedManagedAppPolicyAssignment",
            InV1 = false,
            ReadPermissions = AppsRead,
            WritePermissions = AppsWrite,
            HasAssignments = true,
            AssignReply = AssignReply.NoContent,
            HasVersion = true,
            EtagVersion = true,
            TypedItems = true,
            BaseProperties = PropertiesOf("microsoft.graph.mdmWindowsInformationProtectionPolicy"),
            Navigations = Set(WipAppLockerFiles),
            ChildCollections = WipAppLockerFileCollections,
        },
        new()
        {
            // Policy sets (beta intune-policyset-policyset-*, -policysetitem-*, the update action): items name their objects by
            // payloadId; no assign action — update takes the assignments, and the items added, updated and deleted.
            Name = GraphFamilies.PolicySets,
            Parent = "deviceAppManagement",
            EntityType = "microsoft.graph.policySet",
            AssignmentType = "microsoft.graph.policySetAssignment",
            InV1 = false,
            ReadPermissions = ConfigRead,
            WritePermissions = ConfigWrite,
            HasAssignments = true,
            AssignReply = AssignReply.NoContent,
            TypedItems = true,
            BaseProperties = PropertiesOf("microsoft.graph.policySet"),
            Navigations = Set("items"),
            ChildCollections = [new("items", PolicySetItemTypes)],
            PolicySetUpdate = true,
        },
        new()
        {
            // App configuration for managed apps (MAM): custom settings for apps of either platform.
            Name = GraphFamilies.TargetedManagedAppConfigurations,
            Parent = "deviceAppManagement",
            EntityType = "microsoft.graph.targetedManagedAppConfiguration",
            AssignmentType = "microsoft.graph.targetedManagedAppPolicyAssignment",
            InV1 = true,
            ReadPermissions = AppsRead,
            WritePermissions = AppsWrite,
            HasAssignments = true,
            AssignReply = AssignReply.NoContent,
            HasVersion = true,
            EtagVersion = true,
            TypedItems = true,
            TargetsApps = true,
            AppIdentifierTypes = ["microsoft.graph.iosMobileAppIdentifier", "microsoft.graph.androidMobileAppIdentifier"],
            BaseProperties = PropertiesOf("microsoft.graph.targetedManagedAppConfiguration"),
            Navigations = Set("apps"),
        },
        new()
        {
            // Apps (beta reference: intune-apps-win32lobapp-*, -iosstoreapp-*, -androidmanagedstoreapp-*, -webapp-*); each
            // assignment says the intent (required, available, uninstall).
            Name = GraphFamilies.MobileApps,
            Parent = "deviceAppManagement",
            EntityType = "microsoft.graph.mobileApp",
            AssignmentType = "microsoft.graph.mobileAppAssignment",
            InV1 = true,
            Polymorphic = true,
            KnownTypes =
            [
                "microsoft.graph.win32LobApp", "microsoft.graph.iosStoreApp", "microsoft.graph.androidManagedStoreApp", "microsoft.graph.webApp",
                "microsoft.graph.managedIOSStoreApp", "microsoft.graph.managedAndroidStoreApp",
            ],
            // Intune's built-in apps are managed store apps available to every tenant (appAvailability "global"); admins'
            // tools list the tenant's own with a filter on that cast.
            FilterCasts = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal)
            {
                ["microsoft.graph.managedApp"] = ["microsoft.graph.managedIOSStoreApp", "microsoft.graph.managedAndroidStoreApp"],
            },
            ReadPermissions = AppsRead,
            WritePermissions = AppsWrite,
            HasAssignments = true,
            AssignReply = AssignReply.NoContent,
            AssignBodyProperty = "mobileAppAssignments",
            BaseProperties = Set(
                "id", "displayName", "description", "publisher", "largeIcon", "createdDateTime", "lastModifiedDateTime", "isFeatured",
                "privacyInformationUrl", "informationUrl", "owner", "developer", "notes", "uploadState", "publishingState", "isAssigned",
                "roleScopeTagIds", "dependentAppCount", "supersedingAppCount", "supersededAppCount"),
        },
        new()
        {
            Name = GraphFamilies.WindowsAutopilotDeploymentProfiles,
            Parent = "deviceManagement",
            EntityType = "microsoft.graph.windowsAutopilotDeploymentProfile",
            AssignmentType = "microsoft.graph.windowsAutopilotDeploymentProfileAssignment",
            InV1 = false,
            Polymorphic = true,
            KnownTypes = ["microsoft.graph.azureADWindowsAutopilotDeploymentProfile", "microsoft.graph.activeDirectoryWindowsAutopilotDeploymentProfile"],
            ReadPermissions =
            [
                GraphPermissions.DeviceManagementServiceConfigRead, GraphPermissions.DeviceManagementServiceConfigReadWrite,
            ],
            WritePermissions = [GraphPermissions.DeviceManagementServiceConfigReadWrite],
            HasAssignments = true,
            AssignReply = AssignReply.NoContent,
            BaseProperties = Set(
                "id", "displayName", "description", "language", "locale", "createdDateTime", "lastModifiedDateTime",
                "outOfBoxExperienceSettings", "enrollmentStatusScreenSettings", "extractHardwareHash", "deviceNameTemplate",
                "deviceType", "enableWhiteGlove", "preprovisioningAllowed", "roleScopeTagIds", "managementServiceAppId"),
        },
        new()
        {
            Name = GraphFamilies.AssignmentFilters,
            Parent = "deviceManagement",
            EntityType = "microsoft.graph.deviceAndAppManagementAssignmentFilter",
            InV1 = false,
            ReadPermissions = ConfigRead,
            WritePermissions = ConfigWrite,
            BaseProperties = Set(
                "id", "createdDateTime", "lastModifiedDateTime", "displayName", "description", "platform", "rule", "roleScopeTags",
                "payloads", "assignmentFilterManagementType"),
        },
        new()
        {
            Name = GraphFamilies.RoleScopeTags,
            Parent = "deviceManagement",
            EntityType = "microsoft.graph.roleScopeTag",
            InV1 = false,
            ReadPermissions = [GraphPermissions.DeviceManagementRbacRead, GraphPermissions.DeviceManagementRbacReadWrite],
            WritePermissions = [GraphPermissions.DeviceManagementRbacReadWrite],
            IdStyle = IdStyle.Sequential,
            BaseProperties = Set("id", "displayName", "description", "isBuiltIn"),
        },
        new()
        {
            Name = GraphFamilies.RoleDefinitions,
            Parent = "deviceManagement",
            EntityType = "microsoft.graph.roleDefinition",
            InV1 = true,
            Polymorphic = true,
            KnownTypes = ["microsoft.graph.deviceAndAppManagementRoleDefinition"],
            ReadPermissions = [GraphPermissions.DeviceManagementRbacRead, GraphPermissions.DeviceManagementRbacReadWrite],
            WritePermissions = [GraphPermissions.DeviceManagementRbacReadWrite],
            BaseProperties = Set(
                "id", "displayName", "description", "rolePermissions", "permissions", "isBuiltIn", "isBuiltInRoleDefinition",
                "roleScopeTagIds"),
        },
        new()
        {
            // Entra Conditional Access policies (v1.0 and beta): users, groups, roles, apps and named locations are
            // referenced by id inside "conditions"; no assignments. Plain Graph errors, 1 request/s per tenant.
            Name = GraphFamilies.ConditionalAccessPolicies,
            Segment = "policies",
            Parent = "identity/conditionalAccess",
            EntityType = "microsoft.graph.conditionalAccessPolicy",
            InV1 = true,
            IsConditionalAccess = true,
            ReadPermissions = ConditionalAccessRead,
            WritePermissions = ConditionalAccessWrite,
            BaseProperties = Set(
                "id", "displayName", "createdDateTime", "modifiedDateTime", "state", "conditions", "grantControls", "sessionControls",
                "templateId", "description"),
        },
        new()
        {
            // Named locations: abstract namedLocation, served as ipNamedLocation or countryNamedLocation (a create and
            // an update name the type).
            Name = GraphFamilies.NamedLocations,
            Parent = "identity/conditionalAccess",
            EntityType = "microsoft.graph.namedLocation",
            InV1 = true,
            IsConditionalAccess = true,
            Polymorphic = true,
            KnownTypes = ["microsoft.graph.ipNamedLocation", "microsoft.graph.countryNamedLocation"],
            ReadPermissions = ConditionalAccessRead,
            WritePermissions = ConditionalAccessWrite,
            BaseProperties = Set("id", "displayName", "createdDateTime", "modifiedDateTime"),
        },
    ];

    private static readonly Dictionary<string, FamilyDefinition> ByName = All.ToDictionary(f => f.Name, StringComparer.Ordinal);

    public static IReadOnlyList<FamilyDefinition> Families => All;

    public static FamilyDefinition Get(string name) =>
        ByName.TryGetValue(name, out var family) ? family : throw new ArgumentException($"Unknown family '{name}'.", nameof(name));

    public static bool TryGet(string name, out FamilyDefinition family) => ByName.TryGetValue(name, out family!);

    /// <summary>Finds the family served at {parent}/{segment}, ignoring case like Graph does.</summary>
    public static FamilyDefinition? Find(string parent, string segment) =>
        All.FirstOrDefault(f =>
            string.Equals(f.Parent, parent, StringComparison.OrdinalIgnoreCase)
            && string.Equals(f.PathSegment, segment, StringComparison.OrdinalIgnoreCase));

    private static HashSet<string> Set(params string[] names) => new(names, StringComparer.Ordinal);

    /// <summary>A type's properties from the schema (families that are one type take an untyped PATCH of any of them).</summary>
    private static HashSet<string> PropertiesOf(string type) => Set([.. Shapes.GraphSchema.Get(type).Properties.Select(p => p.Name)]);
}
