using System.Text;
using System.Text.Json.Nodes;
using TenantAtlas.GraphEmulator.Graph;
using TenantAtlas.GraphEmulator.Shapes;
using TenantAtlas.GraphEmulator.State;

namespace TenantAtlas.GraphEmulator.Seeding;

/// <summary>Intune objects in the JSON shapes the beta endpoints answer with, one generator per family.</summary>
internal static class IntuneShapes
{
    public const string AllDevicesTargetId = "adadadad-808e-44e2-905a-0b7873a8a531";
    public const string AllUsersTargetId = "acacacac-9df4-4c7d-9d50-4ef0226f57a9";

    private static readonly string[] Rings = ["Pilot", "Ring 1", "Ring 2", "Broad", "Finance", "HR", "Sales", "Kiosk", "Executives", "Contractors"];

    public static StoredResource Create(string family, SeedRandom rng, SeedContext ctx, int index, string? displayName = null, string? odataType = null)
    {
        var id = rng.Guid();
        var created = rng.Before(ctx.Anchor, 900);
        var modified = created.AddSeconds(rng.Next((int)Math.Max(1, (ctx.Anchor - created).TotalSeconds)));
        var times = (SeedRandom.IntuneTime(created), SeedRandom.IntuneTime(modified));
        var resource = family switch
        {
            GraphFamilies.DeviceConfigurations => DeviceConfiguration(rng, ctx, id, index, times, odataType),
            GraphFamilies.DeviceCompliancePolicies => CompliancePolicy(rng, ctx, id, index, times, odataType),
            GraphFamilies.ConfigurationPolicies => SettingsCatalogPolicy(rng, ctx, id, index, times),
            GraphFamilies.GroupPolicyConfigurations => AdministrativeTemplate(rng, ctx, id, index, times),
            GraphFamilies.DeviceManagementScripts => Script(rng, ctx, id, index, times),
            GraphFamilies.DeviceHealthScripts => HealthScript(rng, ctx, id, index, times),
            GraphFamilies.DeviceShellScripts => ShellScript(rng, ctx, id, index, times),
            GraphFamilies.DeviceCustomAttributeShellScripts => CustomAttributeScript(rng, ctx, id, index, times),
            GraphFamilies.DeviceComplianceScripts => ComplianceScript(rng, ctx, id, index, times),
            GraphFamilies.WindowsFeatureUpdateProfiles => FeatureUpdateProfile(rng, ctx, id, index, times),
            GraphFamilies.WindowsQualityUpdateProfiles => QualityUpdateProfile(rng, ctx, id, index, times),
            GraphFamilies.WindowsDriverUpdateProfiles => DriverUpdateProfile(rng, ctx, id, index, times),
            GraphFamilies.CompliancePolicies => SettingsCompliancePolicy(rng, ctx, id, index, times),
            GraphFamilies.Intents => Intent(rng, ctx, id, index, times),
            GraphFamilies.ReusablePolicySettings => ReusablePolicySetting(rng, id, index, times),
            GraphFamilies.DeviceEnrollmentConfigurations => EnrollmentConfiguration(rng, ctx, id, index, times),
            GraphFamilies.TermsAndConditions => TermsAndConditions(rng, ctx, id, index, times),
            GraphFamilies.NotificationMessageTemplates => NotificationTemplate(rng, ctx, id, index, times),
            GraphFamilies.IntuneBrandingProfiles => BrandingProfile(rng, ctx, id, index, times),
            GraphFamilies.MobileAppConfigurations => AppConfiguration(rng, ctx, id, index, times, odataType),
            GraphFamilies.IosManagedAppProtections => AppProtection(rng, ctx, id, index, times, "iosManagedAppProtection"),
            GraphFamilies.AndroidManagedAppProtections => AppProtection(rng, ctx, id, index, times, "androidManagedAppProtection"),
            GraphFamilies.WindowsManagedAppProtections => WindowsAppProtection(rng, ctx, id, index, times),
            GraphFamilies.WindowsInformationProtectionPolicies => InformationProtection(rng, ctx, id, index, times, mdm: false),
            GraphFamilies.MdmWindowsInformationProtectionPolicies => InformationProtection(rng, ctx, id, index, times, mdm: true),
            GraphFamilies.PolicySets => PolicySet(rng, ctx, id, index, times),
            GraphFamilies.TargetedManagedAppConfigurations => AppProtection(rng, ctx, id, index, times, "targetedManagedAppConfiguration"),
            GraphFamilies.MobileApps => MobileApp(rng, ctx, id, index, times, odataType),
            GraphFamilies.WindowsAutopilotDeploymentProfiles => AutopilotProfile(rng, ctx, id, index, times, odataType),
            GraphFamilies.AssignmentFilters => AssignmentFilter(rng, id, index, times),
            GraphFamilies.RoleDefinitions => CustomRoleDefinition(rng, ctx, id, index),
            GraphFamilies.NamedLocations => NamedLocation(rng, id, index, created, odataType),
            GraphFamilies.ConditionalAccessPolicies => ConditionalAccessPolicy(rng, ctx, id, index, created, modified),
            _ => throw new ArgumentException($"The emulator cannot generate '{family}' objects.", nameof(family)),
        };
        Reshape(FamilyRegistry.Get(family), resource);

        if (displayName is not null)
        {
            resource.Data[FamilyRegistry.Get(family).NameProperty] = displayName;
        }

        if (FamilyRegistry.Get(family).HasAssignments)
        {
            resource.Assignments.AddRange(Assignments(rng, ctx, family, id, times.Item2));
        }

        if (family == GraphFamilies.IntuneBrandingProfiles && resource.Data["isDefaultProfile"]?.GetValue<bool>() == true)
        {
            // The default profile applies to everyone without assignments; Intune refuses to assign it.
            resource.Assignments.Clear();
        }

        if (family == GraphFamilies.DeviceEnrollmentConfigurations && resource.Data["priority"]?.GetValue<int>() == 0)
        {
            // A default applies to everyone without assignments; Intune refuses to assign it.
            resource.Assignments.Clear();
        }

        if (family is GraphFamilies.ConfigurationPolicies or GraphFamilies.CompliancePolicies or GraphFamilies.MobileApps or GraphFamilies.Intents)
        {
            resource.Data["isAssigned"] = resource.Assignments.Count > 0;
        }

        return resource;
    }

    /// <summary>
    /// Gives a seeded object every property of its type's schema, with the values the
    /// generator chose; its navigation items (rules and their actions, definition values, settings) likewise.
    /// </summary>
    public static void Reshape(FamilyDefinition family, StoredResource resource)
    {
        resource.Data = Shaped(resource.Data, family.EntityType);
        var (ruleType, actionType) = CollectionHandlers.ScheduledActionTypes(family);
        for (var i = 0; i < resource.ScheduledActionsForRule.Count; i++)
        {
            var rule = resource.ScheduledActionsForRule[i];
            var shaped = Shaped(rule, ruleType);
            shaped["scheduledActionConfigurations"] = Json.Array(
                (rule["scheduledActionConfigurations"] as JsonArray ?? [])
                .OfType<JsonObject>()
                .Select(action => (JsonNode?)Shaped(action, actionType)));
            resource.ScheduledActionsForRule[i] = shaped;
        }

        for (var i = 0; i < resource.DefinitionValues.Count; i++)
        {
            var value = resource.DefinitionValues[i];
            var shaped = Shaped(value, "microsoft.graph.groupPolicyDefinitionValue");
            shaped["definition"] = value["definition"] is JsonObject definition ? Shaped(definition, "microsoft.graph.groupPolicyDefinition") : null;
            shaped["presentationValues"] = Json.Array((value["presentationValues"] as JsonArray ?? []).Select(presentation =>
                presentation is JsonObject p && GraphSchema.Find(p["@odata.type"]?.GetValue<string>()) is not null
                    ? WithPresentation(Shaped(p, "microsoft.graph.groupPolicyPresentationValue"), p)
                    : presentation?.DeepClone()));
            resource.DefinitionValues[i] = shaped;
        }

        for (var i = 0; i < resource.Settings.Count; i++)
        {
            resource.Settings[i] = Shaped(resource.Settings[i], "microsoft.graph.deviceManagementConfigurationSetting");
        }

        foreach (var children in resource.Children.Values)
        {
            for (var i = 0; i < children.Count; i++)
            {
                children[i] = Shaped(children[i], children[i]["@odata.type"]!.GetValue<string>().TrimStart('#'));
            }
        }
    }

    /// <summary>The presentation a value belongs to is a navigation (served only when expanded), kept beside the shape.</summary>
    private static JsonObject WithPresentation(JsonObject shaped, JsonObject stored)
    {
        shaped["presentation"] = stored["presentation"]?.DeepClone();
        return shaped;
    }

    /// <summary>
    /// The object with every property of its type's schema: the generator's values, and for the rest plausible values
    /// seeded from the object's id (same tenant seed, same object). @odata.type stays only where the generator set it
    /// (Graph omits it on non-derived types).
    /// </summary>
    private static JsonObject Shaped(JsonObject data, string fallbackType)
    {
        var type = data["@odata.type"]?.GetValue<string>() ?? fallbackType;
        var schema = GraphSchema.Get(type);
        var rng = new SeedRandom(0, $"{schema.Name}/{data["id"]}/{data["displayName"] ?? data["name"]}");
        var shaped = GraphSchema.Overlay(GraphSchema.Seed(type, rng), data, schema, rng);
        if (!data.ContainsKey("@odata.type"))
        {
            shaped.Remove("@odata.type");
        }

        return shaped;
    }

    private static JsonArray ScopeTags(SeedRandom rng, SeedContext ctx)
    {
        if (ctx.ScopeTagIds.Count == 0 || rng.Chance(0.7))
        {
            return Json.Strings(["0"]);
        }

        return rng.Chance(0.5) ? Json.Strings(["0", rng.Pick(ctx.ScopeTagIds)]) : Json.Strings([rng.Pick(ctx.ScopeTagIds)]);
    }

    private static StoredResource DeviceConfiguration(SeedRandom rng, SeedContext ctx, string id, int index, (string Created, string Modified) times, string? odataType)
    {
        string[] types =
        [
            "windows10GeneralConfiguration", "windows10CustomConfiguration", "windows10EndpointProtectionConfiguration",
            "windowsUpdateForBusinessConfiguration", "iosGeneralDeviceConfiguration", "androidWorkProfileGeneralDeviceConfiguration",
            "macOSGeneralDeviceConfiguration",
        ];
        var type = odataType?.Replace("#microsoft.graph.", "", StringComparison.Ordinal) ?? rng.Pick(types);
        var secrets = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var (prefix, purpose) = type switch
        {
            "windows10GeneralConfiguration" => ("WIN", rng.Pick(["Device Restrictions", "Edge Settings", "Start Menu", "Privacy"])),
            "windows10CustomConfiguration" => ("WIN", rng.Pick(["Custom OMA-URI", "Delivery Optimization", "Credential Guard"])),
            "windows10EndpointProtectionConfiguration" => ("WIN", rng.Pick(["Endpoint Protection", "BitLocker", "Firewall"])),
            "windowsUpdateForBusinessConfiguration" => ("WIN", "Update Ring"),
            "iosGeneralDeviceConfiguration" => ("iOS", rng.Pick(["Device Restrictions", "Passcode", "App Store"])),
            "androidWorkProfileGeneralDeviceConfiguration" => ("AND", rng.Pick(["Work Profile Restrictions", "Work Profile Passcode"])),
            _ => ("MAC", rng.Pick(["Device Restrictions", "Password", "Gatekeeper"])),
        };
        var data = new JsonObject
        {
            ["@odata.type"] = $"#microsoft.graph.{type}",
            ["id"] = id,
            ["lastModifiedDateTime"] = times.Modified,
            ["roleScopeTagIds"] = ScopeTags(rng, ctx),
            ["supportsScopeTags"] = true,
            ["deviceManagementApplicabilityRuleOsEdition"] = null,
            ["deviceManagementApplicabilityRuleOsVersion"] = null,
            ["deviceManagementApplicabilityRuleDeviceMode"] = null,
            ["createdDateTime"] = times.Created,
            ["description"] = rng.Chance(0.6) ? $"{purpose} for {rng.Pick(Rings)} devices" : "",
            ["displayName"] = $"{prefix} - {purpose} - {rng.Pick(Rings)} {index:D4}",
            ["version"] = rng.Between(1, 12),
        };
        switch (type)
        {
            case "windows10GeneralConfiguration":
                data["passwordRequired"] = rng.Chance(0.7);
                data["passwordMinimumLength"] = rng.Between(6, 14);
                data["passwordRequiredType"] = "alphanumeric";
                data["screenCaptureBlocked"] = rng.Chance(0.3);
                data["cameraBlocked"] = rng.Chance(0.2);
                data["defenderRequireRealTimeMonitoring"] = true;
                data["defenderScanType"] = "quick";
                data["edgeHomepageUrls"] = Json.Strings(["https://intranet.contoso.com"]);
                data["startMenuHideShutDown"] = false;
                break;
            case "windows10CustomConfiguration":
                data["omaSettings"] = Json.Array(
                [
                    new JsonObject
                    {
                        ["@odata.type"] = "#microsoft.graph.omaSettingInteger",
                        ["displayName"] = "DODownloadMode",
                        ["description"] = null,
                        ["omaUri"] = "./Device/Vendor/MSFT/Policy/Config/DeliveryOptimization/DODownloadMode",
                        ["secretReferenceValueId"] = null,
                        ["isEncrypted"] = false,
                        ["value"] = rng.Between(0, 3),
                        ["isReadOnly"] = false,
                    },
                    new JsonObject
                    {
                        ["@odata.type"] = "#microsoft.graph.omaSettingString",
                        ["displayName"] = "LockScreenImage",
                        ["description"] = "Corporate lock screen",
                        ["omaUri"] = "./Vendor/MSFT/Personalization/LockScreenImageUrl",
                        ["secretReferenceValueId"] = null,
                        ["isEncrypted"] = false,
                        ["value"] = "https://cdn.contoso.com/lockscreen.jpg",
                    },
                    EncryptedOmaSetting(id, secrets),
                ]);
                break;
            case "windows10EndpointProtectionConfiguration":
                data["firewallBlockStatefulFTP"] = true;
                data["firewallProfileDomain"] = new JsonObject { ["firewallEnabled"] = "allowed", ["inboundConnectionsBlocked"] = true };
                data["bitLockerEncryptDevice"] = rng.Chance(0.8);
                data["bitLockerSystemDrivePolicy"] = new JsonObject { ["encryptionMethod"] = "xtsAes256", ["startupAuthenticationRequired"] = true };
                data["defenderAttackSurfaceReductionExcludedPaths"] = Json.Empty();
                break;
            case "windowsUpdateForBusinessConfiguration":
                data["deliveryOptimizationMode"] = "userDefined";
                data["automaticUpdateMode"] = "autoInstallAtMaintenanceTime";
                data["qualityUpdatesDeferralPeriodInDays"] = rng.Between(0, 7);
                data["featureUpdatesDeferralPeriodInDays"] = rng.Pick([0, 30, 60, 90]);
                data["businessReadyUpdatesOnly"] = "userDefined";
                data["deadlineForQualityUpdatesInDays"] = rng.Between(2, 7);
                break;
            case "iosGeneralDeviceConfiguration":
                data["passcodeRequired"] = true;
                data["passcodeMinimumLength"] = rng.Between(4, 8);
                data["passcodeBlockSimple"] = true;
                data["cameraBlocked"] = rng.Chance(0.1);
                data["appStoreBlocked"] = rng.Chance(0.2);
                data["iCloudBlockBackup"] = rng.Chance(0.5);
                break;
            case "androidWorkProfileGeneralDeviceConfiguration":
                data["passwordRequired"] = true;
                data["passwordMinimumLength"] = rng.Between(4, 8);
                data["workProfileBlockCamera"] = rng.Chance(0.2);
                data["workProfileDataSharingType"] = "preventAny";
                data["workProfileBlockCrossProfileCopyPaste"] = true;
                break;
            default:
                data["passwordRequired"] = true;
                data["passwordMinimumLength"] = rng.Between(8, 14);
                data["passwordBlockSimple"] = true;
                data["gatekeeperAllowedAppSource"] = "macAppStoreAndIdentifiedDevelopers";
                break;
        }

        var resource = new StoredResource(data);
        foreach (var (reference, value) in secrets)
        {
            resource.Secrets[reference] = value;
        }

        return resource;
    }

    /// <summary>
    /// A Wi-Fi pre-shared key as Intune serves it: <c>isEncrypted</c>, a <c>secretReferenceValueId</c> and an encrypted
    /// blob as the value; the clear text only comes from <c>getOmaSettingPlainTextValue</c>. Derived from the object's id
    /// (no draw from the family's random stream, so the rest of the seed is unchanged).
    /// </summary>
    private static JsonObject EncryptedOmaSetting(string id, Dictionary<string, string> secrets)
    {
        var rng = new SeedRandom(0, "oma-secret/" + id);
        var reference = rng.Guid();
        var plain = $"Contoso-WiFi-{rng.Between(100_000, 999_999)}-{id[..4]}";
        secrets[reference] = plain;
        return new JsonObject
        {
            ["@odata.type"] = "#microsoft.graph.omaSettingString",
            ["displayName"] = "WiFiPreSharedKey",
            ["description"] = "Corporate Wi-Fi key",
            ["omaUri"] = "./Vendor/MSFT/WiFi/Profile/Contoso/WlanXml/SharedKey",
            ["secretReferenceValueId"] = reference,
            ["isEncrypted"] = true,
            ["value"] = EncryptedBlob(reference, plain),
        };
    }

    /// <summary>An opaque base64 blob in the place of an encrypted value (Intune serves a CMS envelope): never the clear text.</summary>
    private static string EncryptedBlob(string reference, string plain)
    {
        var digest = System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(reference + "\n" + plain));
        return "MIIB" + Convert.ToBase64String([.. digest, .. System.Security.Cryptography.SHA256.HashData(digest)]);
    }

    /// <summary>
    /// Makes a settings catalog policy larger than one expanded page: <paramref name="pageSize"/> × 2 + 3 settings, and
    /// assignments to up to <paramref name="pageSize"/> × 2 + 1 groups plus all devices, so both collections need
    /// nextLinks. Uses its own random stream.
    /// </summary>
    public static void Oversize(StoredResource resource, SeedContext ctx, int pageSize, SeedRandom rng)
    {
        resource.Settings.Clear();
        for (var i = 0; i < pageSize * 2 + 3; i++)
        {
            var setting = Setting(i.ToString(System.Globalization.CultureInfo.InvariantCulture), CatalogSettings[i % CatalogSettings.Length], rng);
            resource.Settings.Add(Shaped(setting, "microsoft.graph.deviceManagementConfigurationSetting"));
        }

        resource.Data["settingCount"] = resource.Settings.Count;
        var modified = resource.Data["lastModifiedDateTime"]?.GetValue<string>() ?? SeedRandom.IntuneTime(ctx.Anchor);
        resource.Assignments.Clear();
        foreach (var groupId in ctx.GroupIds.Take(pageSize * 2 + 1))
        {
            resource.Assignments.Add(Assignment(GraphFamilies.ConfigurationPolicies, resource.Id, new JsonObject
            {
                ["@odata.type"] = "#microsoft.graph.groupAssignmentTarget",
                ["deviceAndAppManagementAssignmentFilterId"] = null,
                ["deviceAndAppManagementAssignmentFilterType"] = "none",
                ["groupId"] = groupId,
            }, modified));
        }

        resource.Assignments.Add(Assignment(GraphFamilies.ConfigurationPolicies, resource.Id, new JsonObject
        {
            ["@odata.type"] = "#microsoft.graph.allDevicesAssignmentTarget",
            ["deviceAndAppManagementAssignmentFilterId"] = null,
            ["deviceAndAppManagementAssignmentFilterType"] = "none",
        }, modified));
        resource.Data["isAssigned"] = true;
    }

    private static StoredResource CompliancePolicy(SeedRandom rng, SeedContext ctx, string id, int index, (string Created, string Modified) times, string? odataType)
    {
        string[] types = ["windows10CompliancePolicy", "iosCompliancePolicy", "androidWorkProfileCompliancePolicy", "macOSCompliancePolicy"];
        var type = odataType?.Replace("#microsoft.graph.", "", StringComparison.Ordinal) ?? rng.Pick(types);
        var secrets = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var prefix = type switch
        {
            "windows10CompliancePolicy" => "WIN",
            "iosCompliancePolicy" => "iOS",
            "androidWorkProfileCompliancePolicy" => "AND",
            _ => "MAC",
        };
        var data = new JsonObject
        {
            ["@odata.type"] = $"#microsoft.graph.{type}",
            ["roleScopeTagIds"] = ScopeTags(rng, ctx),
            ["id"] = id,
            ["createdDateTime"] = times.Created,
            ["description"] = "",
            ["lastModifiedDateTime"] = times.Modified,
            ["displayName"] = $"{prefix} - Compliance - {rng.Pick(Rings)} {index:D4}",
            ["version"] = rng.Between(1, 6),
        };
        switch (type)
        {
            case "windows10CompliancePolicy":
                data["passwordRequired"] = rng.Chance(0.6);
                data["passwordMinimumLength"] = 8;
                data["osMinimumVersion"] = rng.Pick(["10.0.19045", "10.0.22621", "10.0.22631"]);
                data["bitLockerEnabled"] = true;
                data["secureBootEnabled"] = true;
                data["codeIntegrityEnabled"] = true;
                data["storageRequireEncryption"] = true;
                data["defenderEnabled"] = true;
                data["deviceThreatProtectionEnabled"] = false;
                data["deviceThreatProtectionRequiredSecurityLevel"] = "unavailable";
                break;
            case "iosCompliancePolicy":
                data["passcodeRequired"] = true;
                data["passcodeMinimumLength"] = 6;
                data["osMinimumVersion"] = rng.Pick(["16.0", "17.0", "17.4"]);
                data["securityBlockJailbrokenDevices"] = true;
                data["managedEmailProfileRequired"] = false;
                break;
            case "androidWorkProfileCompliancePolicy":
                data["passwordRequired"] = true;
                data["passwordMinimumLength"] = 6;
                data["securityBlockJailbrokenDevices"] = true;
                data["osMinimumVersion"] = "12.0";
                data["securityRequireSafetyNetAttestationBasicIntegrity"] = true;
                break;
            default:
                data["passwordRequired"] = true;
                data["osMinimumVersion"] = "14.0";
                data["systemIntegrityProtectionEnabled"] = true;
                data["storageRequireEncryption"] = true;
                data["firewallEnabled"] = true;
                break;
        }

        var resource = new StoredResource(data);
        var configurations = Json.Array(
        [
            new JsonObject
            {
                ["id"] = rng.Guid(),
                ["gracePeriodHours"] = 0,
                ["actionType"] = "block",
                ["notificationTemplateId"] = "00000000-0000-0000-0000-000000000000",
                ["notificationMessageCCList"] = Json.Empty(),
            },
        ]);
        if (rng.Chance(0.4))
        {
            configurations.Add(new JsonObject
            {
                ["id"] = rng.Guid(),
                ["gracePeriodHours"] = 72,
                ["actionType"] = "retire",
                ["notificationTemplateId"] = "00000000-0000-0000-0000-000000000000",
                ["notificationMessageCCList"] = Json.Empty(),
            });
        }

        resource.ScheduledActionsForRule.Add(new JsonObject
        {
            ["id"] = rng.Guid(),
            ["ruleName"] = "PasswordRequired",
            ["scheduledActionConfigurations"] = configurations,
        });
        return resource;
    }

    private static readonly (string DefinitionId, string Kind, string[] Values)[] CatalogSettings =
    [
        ("device_vendor_msft_policy_config_defender_allowrealtimemonitoring", "choice", ["_0", "_1"]),
        ("device_vendor_msft_policy_config_defender_allowcloudprotection", "choice", ["_0", "_1"]),
        ("device_vendor_msft_policy_config_experience_allowcortana", "choice", ["_0", "_1"]),
        ("device_vendor_msft_bitlocker_requiredeviceencryption", "choice", ["_0", "_1"]),
        ("device_vendor_msft_policy_config_browser_allowpasswordmanager", "choice", ["_0", "_1"]),
        ("device_vendor_msft_policy_config_devicelock_devicepasswordenabled", "choice", ["_0", "_1"]),
        ("device_vendor_msft_policy_config_update_activehoursstart", "integer", ["6", "7", "8"]),
        ("device_vendor_msft_policy_config_update_activehoursend", "integer", ["17", "18", "20"]),
        ("device_vendor_msft_policy_config_devicelock_maxinactivitytimedevicelock", "integer", ["5", "10", "15"]),
        ("device_vendor_msft_policy_config_localpoliciessecurityoptions_interactivelogon_messagetextforusersattemptingtologon", "string", ["Authorized use only.", "Property of Contoso."]),
        ("com.apple.applicationaccess_allowcamera", "choice", ["_false", "_true"]),
        ("com.apple.mobiledevice.passwordpolicy_minlength", "integer", ["6", "8"]),
    ];

    private static StoredResource SettingsCatalogPolicy(SeedRandom rng, SeedContext ctx, string id, int index, (string Created, string Modified) times)
    {
        var endpointSecurity = rng.Chance(0.25);
        var platform = rng.Chance(0.8) ? "windows10" : rng.Pick(["macOS", "iOS"]);
        var data = new JsonObject
        {
            ["createdDateTime"] = times.Created,
            ["creationSource"] = null,
            ["description"] = rng.Chance(0.5) ? "Managed by the endpoint team" : "",
            ["lastModifiedDateTime"] = times.Modified,
            ["name"] = endpointSecurity
                ? $"ES - {rng.Pick(["Antivirus", "Firewall", "Attack Surface Reduction", "Disk Encryption"])} - {rng.Pick(Rings)} {index:D4}"
                : $"SC - {rng.Pick(["Defender", "Edge", "Updates", "Device Lock", "OneDrive", "Privacy"])} - {rng.Pick(Rings)} {index:D4}",
            ["platforms"] = platform,
            ["priorityMetaData"] = null,
            ["roleScopeTagIds"] = ScopeTags(rng, ctx),
            ["settingCount"] = 0,
            ["technologies"] = endpointSecurity ? "mdm,microsoftSense" : "mdm",
            ["id"] = id,
            ["templateReference"] = endpointSecurity
                ? new JsonObject
                {
                    ["templateId"] = "804339ad-1553-4478-a742-138fb5807418_1",
                    ["templateFamily"] = "endpointSecurityAntivirus",
                    ["templateDisplayName"] = "Microsoft Defender Antivirus",
                    ["templateDisplayVersion"] = "Version 1",
                }
                : new JsonObject
                {
                    ["templateId"] = "",
                    ["templateFamily"] = "none",
                    ["templateDisplayName"] = null,
                    ["templateDisplayVersion"] = null,
                },
            ["isAssigned"] = false,
        };
        var resource = new StoredResource(data);
        var count = rng.Between(1, 6);
        var used = new HashSet<int>();
        for (var i = 0; i < count; i++)
        {
            var pick = rng.Next(CatalogSettings.Length);
            if (!used.Add(pick))
            {
                continue;
            }

            resource.Settings.Add(Setting(resource.Settings.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), CatalogSettings[pick], rng));
        }

        data["settingCount"] = resource.Settings.Count;
        return resource;
    }

    private static JsonObject Setting(string id, (string DefinitionId, string Kind, string[] Values) source, SeedRandom rng)
    {
        var value = rng.Pick(source.Values);
        JsonObject instance = source.Kind switch
        {
            "choice" => new JsonObject
            {
                ["@odata.type"] = "#microsoft.graph.deviceManagementConfigurationChoiceSettingInstance",
                ["settingDefinitionId"] = source.DefinitionId,
                ["settingInstanceTemplateReference"] = null,
                ["choiceSettingValue"] = new JsonObject
                {
                    ["settingValueTemplateReference"] = null,
                    ["value"] = source.DefinitionId + value,
                    ["children"] = Json.Empty(),
                },
            },
            "integer" => new JsonObject
            {
                ["@odata.type"] = "#microsoft.graph.deviceManagementConfigurationSimpleSettingInstance",
                ["settingDefinitionId"] = source.DefinitionId,
                ["settingInstanceTemplateReference"] = null,
                ["simpleSettingValue"] = new JsonObject
                {
                    ["@odata.type"] = "#microsoft.graph.deviceManagementConfigurationIntegerSettingValue",
                    ["settingValueTemplateReference"] = null,
                    ["value"] = int.Parse(value, System.Globalization.CultureInfo.InvariantCulture),
                },
            },
            _ => new JsonObject
            {
                ["@odata.type"] = "#microsoft.graph.deviceManagementConfigurationSimpleSettingInstance",
                ["settingDefinitionId"] = source.DefinitionId,
                ["settingInstanceTemplateReference"] = null,
                ["simpleSettingValue"] = new JsonObject
                {
                    ["@odata.type"] = "#microsoft.graph.deviceManagementConfigurationStringSettingValue",
                    ["settingValueTemplateReference"] = null,
                    ["value"] = value,
                },
            },
        };
        return new JsonObject { ["id"] = id, ["settingInstance"] = instance };
    }

    private static StoredResource AdministrativeTemplate(SeedRandom rng, SeedContext ctx, string id, int index, (string Created, string Modified) times)
    {
        var data = new JsonObject
        {
            ["createdDateTime"] = times.Created,
            ["displayName"] = $"ADMX - {rng.Pick(["Edge", "Chrome", "OneDrive", "Windows Update", "Office", "Logon"])} - {rng.Pick(Rings)} {index:D4}",
            ["description"] = "",
            ["roleScopeTagIds"] = ScopeTags(rng, ctx),
            ["policyConfigurationIngestionType"] = "builtIn",
            ["id"] = id,
            ["lastModifiedDateTime"] = times.Modified,
        };
        var resource = new StoredResource(data);
        var definitions = AdministrativeTemplateCatalog.Definitions;
        var count = rng.Between(1, 5);
        var used = new HashSet<int>();
        for (var i = 0; i < count; i++)
        {
            var pick = rng.Next(definitions.Count);
            if (used.Add(pick))
            {
                resource.DefinitionValues.Add(DefinitionValue(rng, definitions[pick], times.Modified, enabled: rng.Chance(0.85)));
            }
        }

        return resource;
    }

    public static JsonObject DefinitionValue(SeedRandom rng, AdministrativeTemplateCatalog.Definition definition, string created, bool enabled) => new()
    {
        ["createdDateTime"] = created,
        ["enabled"] = enabled,
        ["configurationType"] = "policy",
        ["id"] = rng.Guid(),
        ["lastModifiedDateTime"] = created,
        ["definition"] = AdministrativeTemplateCatalog.DefinitionJson(definition),
        ["presentationValues"] = enabled
            ? Json.Array(definition.Presentations.Select(p => (JsonNode?)AdministrativeTemplateCatalog.PresentationValueJson(rng, p, created)))
            : Json.Empty(),
    };

    private static readonly string[] ScriptNames =
    [
        "Set-TimeZone", "Remove-BloatwareApps", "Enable-BitLockerRecoveryBackup", "Set-RegionalSettings", "Install-Fonts",
        "Configure-PowerPlan", "Map-NetworkDrives", "Disable-ConsumerFeatures",
    ];

    private static StoredResource Script(SeedRandom rng, SeedContext ctx, string id, int index, (string Created, string Modified) times)
    {
        var name = rng.Pick(ScriptNames);
        var content = $"# {name}\r\n$ErrorActionPreference = 'Stop'\r\nWrite-Output \"Running {name} ({index})\"\r\nexit 0\r\n";
        var data = new JsonObject
        {
            ["@odata.type"] = "#microsoft.graph.deviceManagementScript",
            ["enforceSignatureCheck"] = false,
            ["runAs32Bit"] = rng.Chance(0.1),
            ["id"] = id,
            ["displayName"] = $"PS - {name} {index:D4}",
            ["description"] = rng.Chance(0.5) ? $"{name} on {rng.Pick(Rings)} devices" : "",
            ["scriptContent"] = Convert.ToBase64String(Encoding.UTF8.GetBytes(content)),
            ["createdDateTime"] = times.Created,
            ["lastModifiedDateTime"] = times.Modified,
            ["runAsAccount"] = rng.Chance(0.8) ? "system" : "user",
            ["fileName"] = $"{name}.ps1",
            ["roleScopeTagIds"] = ScopeTags(rng, ctx),
        };
        return new StoredResource(data);
    }

    private static readonly (string Name, string Detects)[] Remediations =
    [
        ("Restart-StuckSpooler", "Get-Service Spooler"), ("Clear-TeamsCache", "Test-Path $env:APPDATA\\Microsoft\\Teams"),
        ("Repair-WindowsUpdate", "Get-Service wuauserv"), ("Reset-StaleDnsCache", "Get-DnsClientCache"),
        ("Remove-LocalAdmins", "Get-LocalGroupMember Administrators"), ("Enable-TimeSync", "Get-Service W32Time"),
    ];

    /// <summary>A remediation (proactive remediation): detection and remediation scripts in base64, some with parameters.</summary>
    private static StoredResource HealthScript(SeedRandom rng, SeedContext ctx, string id, int index, (string Created, string Modified) times)
    {
        var (name, detects) = rng.Pick(Remediations);
        var detection = $"# Detect {name}\r\n$state = {detects}\r\nif ($state) {{ exit 0 }} else {{ exit 1 }}\r\n";
        var remediation = $"# {name}\r\n$ErrorActionPreference = 'Stop'\r\nWrite-Output \"Remediating ({index})\"\r\nexit 0\r\n";
        var parameters = rng.Chance(0.3)
            ? Json.Array([new JsonObject
            {
                ["@odata.type"] = "#microsoft.graph.deviceHealthScriptStringParameter",
                ["name"] = "LogPath",
                ["description"] = "Where the script logs",
                ["isRequired"] = false,
                ["applyDefaultValueWhenNotAssigned"] = true,
                ["defaultValue"] = "C:\\ProgramData\\Remediations",
            }])
            : Json.Empty();
        var data = new JsonObject
        {
            ["@odata.type"] = "#microsoft.graph.deviceHealthScript",
            ["id"] = id,
            ["publisher"] = rng.Pick(["IT Operations", "Workplace Team", "Security"]),
            ["version"] = (1 + rng.Next(4)).ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["displayName"] = $"REM - {name} {index:D4}",
            ["description"] = rng.Chance(0.5) ? $"{name} on {rng.Pick(Rings)} devices" : "",
            ["detectionScriptContent"] = Convert.ToBase64String(Encoding.UTF8.GetBytes(detection)),
            ["remediationScriptContent"] = Convert.ToBase64String(Encoding.UTF8.GetBytes(remediation)),
            ["createdDateTime"] = times.Created,
            ["lastModifiedDateTime"] = times.Modified,
            ["runAsAccount"] = rng.Chance(0.8) ? "system" : "user",
            ["enforceSignatureCheck"] = false,
            ["runAs32Bit"] = false,
            ["roleScopeTagIds"] = ScopeTags(rng, ctx),
            ["isGlobalScript"] = false,
            ["highestAvailableVersion"] = null,
            ["detectionScriptParameters"] = parameters,
            ["remediationScriptParameters"] = parameters.DeepClone(),
        };
        return new StoredResource(data);
    }

    private static readonly string[] ShellScriptNames =
    [
        "set-dock", "install-rosetta", "rename-computer", "enable-filevault-reminder", "set-login-banner", "clear-caches",
    ];

    /// <summary>A macOS shell script: content in base64, how often it runs and how many retries.</summary>
    private static StoredResource ShellScript(SeedRandom rng, SeedContext ctx, string id, int index, (string Created, string Modified) times)
    {
        var name = rng.Pick(ShellScriptNames);
        var content = $"#!/bin/zsh\n# {name}\nset -e\necho \"Running {name} ({index})\"\nexit 0\n";
        var data = new JsonObject
        {
            ["@odata.type"] = "#microsoft.graph.deviceShellScript",
            ["executionFrequency"] = rng.Pick(["PT0S", "PT15M", "PT1H", "P1D", "P7D"]),
            ["retryCount"] = rng.Next(4),
            ["blockExecutionNotifications"] = rng.Chance(0.7),
            ["id"] = id,
            ["displayName"] = $"MAC - {name} {index:D4}",
            ["description"] = rng.Chance(0.5) ? $"{name} on {rng.Pick(Rings)} Macs" : "",
            ["scriptContent"] = Convert.ToBase64String(Encoding.UTF8.GetBytes(content)),
            ["createdDateTime"] = times.Created,
            ["lastModifiedDateTime"] = times.Modified,
            ["runAsAccount"] = rng.Chance(0.8) ? "system" : "user",
            ["fileName"] = $"{name}.sh",
            ["roleScopeTagIds"] = ScopeTags(rng, ctx),
        };
        return new StoredResource(data);
    }

    private static readonly (string Name, string Type, string Command)[] CustomAttributes =
    [
        ("BatteryCycleCount", "integer", "system_profiler SPPowerDataType | awk '/Cycle Count/{print $3}'"),
        ("FileVaultStatus", "string", "fdesetup status"), ("LastBootTime", "dateTime", "sysctl -n kern.boottime"),
        ("XcodeVersion", "string", "xcodebuild -version | head -1"),
    ];

    /// <summary>A macOS custom attribute: the script's output is the attribute's value, of the declared type.</summary>
    private static StoredResource CustomAttributeScript(SeedRandom rng, SeedContext ctx, string id, int index, (string Created, string Modified) times)
    {
        var (name, type, command) = rng.Pick(CustomAttributes);
        var content = $"#!/bin/zsh\n# {name}\n{command}\n";
        var data = new JsonObject
        {
            ["@odata.type"] = "#microsoft.graph.deviceCustomAttributeShellScript",
            ["id"] = id,
            ["customAttributeName"] = name,
            ["customAttributeType"] = type,
            ["displayName"] = $"MAC ATTR - {name} {index:D4}",
            ["description"] = rng.Chance(0.5) ? $"Reports {name}" : "",
            ["scriptContent"] = Convert.ToBase64String(Encoding.UTF8.GetBytes(content)),
            ["createdDateTime"] = times.Created,
            ["lastModifiedDateTime"] = times.Modified,
            ["runAsAccount"] = rng.Chance(0.9) ? "system" : "user",
            ["fileName"] = $"{name}.sh",
            ["roleScopeTagIds"] = ScopeTags(rng, ctx),
        };
        return new StoredResource(data);
    }

    private static readonly string[] ComplianceChecks = ["BitLockerStatus", "LocalAdminCount", "AntivirusSignatureAge", "SecureBootState"];

    /// <summary>A custom compliance script: a detection script (base64) whose JSON output compliance policies evaluate.</summary>
    private static StoredResource ComplianceScript(SeedRandom rng, SeedContext ctx, string id, int index, (string Created, string Modified) times)
    {
        var check = rng.Pick(ComplianceChecks);
        var content = $"# {check}\r\n$result = @{{ {check} = 'OK' }}\r\nreturn $result | ConvertTo-Json -Compress\r\n";
        var data = new JsonObject
        {
            ["@odata.type"] = "#microsoft.graph.deviceComplianceScript",
            ["id"] = id,
            ["publisher"] = rng.Pick(["IT Operations", "Security"]),
            ["version"] = (1 + rng.Next(3)).ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["displayName"] = $"CC - {check} {index:D4}",
            ["description"] = rng.Chance(0.5) ? $"Reports {check} for custom compliance" : "",
            ["detectionScriptContent"] = Convert.ToBase64String(Encoding.UTF8.GetBytes(content)),
            ["createdDateTime"] = times.Created,
            ["lastModifiedDateTime"] = times.Modified,
            ["runAsAccount"] = "system",
            ["enforceSignatureCheck"] = false,
            ["runAs32Bit"] = false,
            ["roleScopeTagIds"] = ScopeTags(rng, ctx),
        };
        return new StoredResource(data);
    }

    /// <summary>Windows releases a feature update profile can name, with the end of servicing Intune reports for each.</summary>
    private static readonly (string Version, string EndOfSupport)[] FeatureReleases =
    [
        ("Windows 10, version 22H2", "2025-10-14T00:00:00Z"), ("Windows 11, version 22H2", "2025-10-14T00:00:00Z"),
        ("Windows 11, version 23H2", "2026-11-10T00:00:00Z"), ("Windows 11, version 24H2", "2027-10-12T00:00:00Z"),
    ];

    /// <summary>Quality update releases (Patch Tuesday "B" releases) an expedited profile can name.</summary>
    private static readonly string[] QualityReleases =
    [
        "2025-03-11T00:00:00Z", "2025-04-08T00:00:00Z", "2025-05-13T00:00:00Z", "2025-06-10T00:00:00Z",
    ];

    private static readonly int[] DeferralDays = [0, 7, 14, 30];

    private static StoredResource FeatureUpdateProfile(SeedRandom rng, SeedContext ctx, string id, int index, (string Created, string Modified) times)
    {
        var (version, _) = rng.Pick(FeatureReleases);
        var data = new JsonObject
        {
            ["id"] = id,
            ["displayName"] = $"FU - {version.Replace("Windows ", "Win", StringComparison.Ordinal)} {rng.Pick(Rings)} {index:D4}",
            ["description"] = rng.Chance(0.5) ? $"Moves {rng.Pick(Rings)} devices to {version}" : "",
            ["featureUpdateVersion"] = version,
            ["createdDateTime"] = times.Created,
            ["lastModifiedDateTime"] = times.Modified,
            ["roleScopeTagIds"] = ScopeTags(rng, ctx),
        };
        DeriveUpdateRelease(GraphFamilies.WindowsFeatureUpdateProfiles, data);
        return new StoredResource(data);
    }

    private static StoredResource QualityUpdateProfile(SeedRandom rng, SeedContext ctx, string id, int index, (string Created, string Modified) times)
    {
        var data = new JsonObject
        {
            ["id"] = id,
            ["displayName"] = $"QU - Expedite {rng.Pick(Rings)} {index:D4}",
            ["description"] = rng.Chance(0.5) ? "Expedited security update" : "",
            ["expeditedUpdateSettings"] = new JsonObject
            {
                ["@odata.type"] = "microsoft.graph.expeditedWindowsQualityUpdateSettings",
                ["qualityUpdateRelease"] = rng.Pick(QualityReleases),
                ["daysUntilForcedReboot"] = rng.Next(3),
            },
            ["createdDateTime"] = times.Created,
            ["lastModifiedDateTime"] = times.Modified,
            ["roleScopeTagIds"] = ScopeTags(rng, ctx),
        };
        DeriveUpdateRelease(GraphFamilies.WindowsQualityUpdateProfiles, data);
        return new StoredResource(data);
    }

    private static StoredResource DriverUpdateProfile(SeedRandom rng, SeedContext ctx, string id, int index, (string Created, string Modified) times)
    {
        var automatic = rng.Chance(0.6);
        var data = new JsonObject
        {
            ["id"] = id,
            ["displayName"] = $"DU - {(automatic ? "Auto" : "Manual")} {rng.Pick(Rings)} {index:D4}",
            ["description"] = rng.Chance(0.5) ? "Drivers and firmware from Windows Update" : "",
            ["approvalType"] = automatic ? "automatic" : "manual",
            ["deviceReporting"] = rng.Next(400),
            ["newUpdates"] = rng.Next(12),
            ["deploymentDeferralInDays"] = automatic ? rng.Pick(DeferralDays) : 0,
            ["createdDateTime"] = times.Created,
            ["lastModifiedDateTime"] = times.Modified,
            ["roleScopeTagIds"] = ScopeTags(rng, ctx),
            ["inventorySyncStatus"] = new JsonObject
            {
                ["@odata.type"] = "microsoft.graph.windowsDriverUpdateProfileInventorySyncStatus",
                ["lastSuccessfulSyncDateTime"] = times.Modified,
                ["driverInventorySyncState"] = "success",
            },
        };
        var resource = new StoredResource(data);
        foreach (var driver in TenantDrivers(ctx.Seed))
        {
            // Automatic profiles approve what Windows Update recommends; a manual one has about half approved by hand.
            if (automatic || rng.Chance(0.5))
            {
                driver["approvalStatus"] = "approved";
                driver["deployDateTime"] = times.Modified;
            }

            resource.DriverInventories.Add(driver);
        }

        return resource;
    }

    private static readonly (string Name, string Manufacturer, string DriverClass, string Version)[] DriverCatalog =
    [
        ("Intel(R) Wireless-AC 9560", "Intel", "Net", "22.200.0.6"),
        ("Intel(R) UHD Graphics 620", "Intel Corporation", "Display", "31.0.101.2115"),
        ("Realtek High Definition Audio", "Realtek Semiconductor Corp.", "MEDIA", "6.0.9235.1"),
        ("Synaptics SMBus TouchPad", "Synaptics", "HIDClass", "19.5.35.1"),
        ("Lenovo System Firmware", "Lenovo Ltd.", "Firmware", "1.51.0.0"),
        ("Dell System Firmware", "Dell Inc.", "Firmware", "1.28.0.0"),
        ("HP Universal Camera Driver", "HP Inc.", "Camera", "1.0.0.11"),
        ("Intel(R) Management Engine Interface", "Intel", "System", "2306.4.3.0"),
        ("Realtek USB GbE Family Controller", "Realtek", "Net", "10.59.20.0"),
        ("Qualcomm(R) Wi-Fi B/G/N/AC", "Qualcomm Communications Inc.", "Net", "12.0.0.1118"),
        ("NVIDIA RTX A500 Laptop GPU", "NVIDIA", "Display", "31.0.15.3742"),
        ("Thunderbolt(TM) Controller", "Intel(R) Corporation", "System", "1.41.1353.0"),
    ];

    /// <summary>
    /// The drivers Windows Update offers for a tenant's devices (a profile's inventory before any approval): about two
    /// thirds of the catalogue, chosen by the tenant's seed. A driver's id comes from the driver itself, so the same
    /// driver has the same id in every tenant.
    /// </summary>
    public static List<JsonObject> TenantDrivers(int seed)
    {
        var rng = new SeedRandom(seed, "drivers");
        var result = new List<JsonObject>();
        foreach (var (name, manufacturer, driverClass, version) in DriverCatalog)
        {
            if (!rng.Chance(0.67))
            {
                continue;
            }

            var driver = new SeedRandom(0, $"driver/{name}/{version}");
            result.Add(new JsonObject
            {
                ["@odata.type"] = "#microsoft.graph.windowsDriverUpdateInventory",
                ["id"] = driver.Guid(),
                ["name"] = name,
                ["version"] = version,
                ["manufacturer"] = manufacturer,
                ["releaseDateTime"] = SeedRandom.IntuneTime(driver.Before(TenantSeeder.Anchor, 700)),
                ["driverClass"] = driverClass,
                ["applicableDeviceCount"] = rng.Between(1, 300),
                ["approvalStatus"] = "needsReview",
                ["category"] = rng.Chance(0.7) ? "recommended" : "other",
                ["deployDateTime"] = null,
            });
        }

        return result;
    }

    private static readonly (string DefinitionId, string Kind, string[] Values)[] LinuxComplianceSettings =
    [
        ("linux_deviceencryption_required", "choice", ["_false", "_true"]),
        ("linux_passwordpolicy_minimumlength", "integer", ["8", "12", "14"]),
        ("linux_passwordpolicy_minimumdigits", "integer", ["1", "2"]),
        ("linux_passwordpolicy_minimumlowercase", "integer", ["1", "2"]),
        ("linux_passwordpolicy_minimumsymbols", "integer", ["0", "1"]),
    ];

    /// <summary>
    /// A compliance policy of the settings catalog (Linux): settings as in configurationPolicies, and one rule of actions
    /// for noncompliance (block at once, sometimes a notification a day later).
    /// </summary>
    private static StoredResource SettingsCompliancePolicy(SeedRandom rng, SeedContext ctx, string id, int index, (string Created, string Modified) times)
    {
        var data = new JsonObject
        {
            ["id"] = id,
            ["name"] = $"LNX - Compliance - {rng.Pick(Rings)} {index:D4}",
            ["description"] = rng.Chance(0.5) ? "Linux devices must meet the baseline" : "",
            ["platforms"] = "linux",
            ["technologies"] = "linuxMdm",
            ["createdDateTime"] = times.Created,
            ["lastModifiedDateTime"] = times.Modified,
            ["settingCount"] = 0,
            ["creationSource"] = null,
            ["roleScopeTagIds"] = ScopeTags(rng, ctx),
            ["isAssigned"] = false,
        };
        var resource = new StoredResource(data);
        var used = new HashSet<int>();
        for (var i = rng.Between(1, 4); i > 0; i--)
        {
            var pick = rng.Next(LinuxComplianceSettings.Length);
            if (used.Add(pick))
            {
                resource.Settings.Add(Setting(resource.Settings.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), LinuxComplianceSettings[pick], rng));
            }
        }

        data["settingCount"] = resource.Settings.Count;
        var actions = Json.Array(
        [
            new JsonObject
            {
                ["id"] = rng.Guid(),
                ["gracePeriodHours"] = 0,
                ["actionType"] = "block",
                ["notificationTemplateId"] = "",
                ["notificationMessageCCList"] = Json.Empty(),
            },
        ]);
        if (rng.Chance(0.5))
        {
            actions.Add(new JsonObject
            {
                ["id"] = rng.Guid(),
                ["gracePeriodHours"] = 24,
                ["actionType"] = "notification",
                ["notificationTemplateId"] = rng.Guid(),
                ["notificationMessageCCList"] = Json.Empty(),
            });
        }

        resource.ScheduledActionsForRule.Add(new JsonObject
        {
            ["id"] = rng.Guid(),
            ["ruleName"] = null,
            ["scheduledActionConfigurations"] = actions,
        });
        return resource;
    }

    /// <summary>
    /// An endpoint security intent made from one of the tenant's templates (an old baseline now and then): every setting of
    /// the template, each with one of its values.
    /// </summary>
    private static StoredResource Intent(SeedRandom rng, SeedContext ctx, string id, int index, (string Created, string Modified) times)
    {
        var template = EndpointSecurityTemplates.Find(ctx.TemplateIds[(index - 1) % ctx.TemplateIds.Count])!;
        var data = new JsonObject
        {
            ["id"] = id,
            ["displayName"] = $"ES - {template.DisplayName} - {rng.Pick(Rings)} {index:D4}",
            ["description"] = rng.Chance(0.5) ? "Managed by the security team" : "",
            ["isAssigned"] = false,
            ["lastModifiedDateTime"] = times.Modified,
            ["templateId"] = template.Id,
            ["roleScopeTagIds"] = ScopeTags(rng, ctx),
        };
        var resource = new StoredResource(data);
        foreach (var setting in template.Settings)
        {
            resource.Settings.Add(EndpointSecurityTemplates.Instance(setting, rng.Guid(), rng.Pick(setting.Values)));
        }

        return resource;
    }

    private static readonly (string DefinitionId, string Kind, string[] Values)[] ReusableSettings =
    [
        ("linux_customcompliance_discoveryscript_reusablesetting", "string",
            [Convert.ToBase64String(Encoding.UTF8.GetBytes("#!/bin/bash\necho '{\"encrypted\": true}'\n"))]),
        ("device_vendor_msft_defender_configuration_devicecontrol_policygroups_{groupid}_groupdata", "string",
            ["<Group Id=\"{d8819053-24f4-444a-a0fb-9ce5a9e97862}\"><MatchType>MatchAny</MatchType></Group>"]),
        ("vendor_msft_firewall_mdmstore_dynamickeywords_addresses_{id}_autoresolve", "choice", ["_false", "_true"]),
    ];

    /// <summary>A reusable setting of the settings catalog: one setting instance (a discovery script, a device control group, an address group).</summary>
    private static StoredResource ReusablePolicySetting(SeedRandom rng, string id, int index, (string Created, string Modified) times)
    {
        var source = ReusableSettings[(index - 1) % ReusableSettings.Length];
        var kind = source.DefinitionId.StartsWith("linux", StringComparison.Ordinal) ? "Linux discovery script"
            : source.DefinitionId.Contains("devicecontrol", StringComparison.Ordinal) ? "Removable storage group" : "Firewall address group";
        var data = new JsonObject
        {
            ["id"] = id,
            ["displayName"] = $"RS - {kind} {index:D4}",
            ["description"] = rng.Chance(0.5) ? "Shared by several policies" : "",
            ["settingDefinitionId"] = source.DefinitionId,
            ["settingInstance"] = Setting("0", source, rng)["settingInstance"]!.DeepClone(),
            ["createdDateTime"] = times.Created,
            ["lastModifiedDateTime"] = times.Modified,
            ["version"] = rng.Between(1, 5),
            ["referencingConfigurationPolicyCount"] = 0,
        };
        return new StoredResource(data);
    }

    /// <summary>
    /// What Intune derives from an update profile's release (the emulator on create and update, as the service does):
    /// a feature release's display name and end of support, a quality release's display names. A release the emulator
    /// does not know gets its own text as the display name and no end of support.
    /// </summary>
    public static void DeriveUpdateRelease(string family, JsonObject data)
    {
        if (family == GraphFamilies.WindowsFeatureUpdateProfiles)
        {
            var version = data["featureUpdateVersion"]?.GetValue<string>();
            data["deployableContentDisplayName"] = version;
            data["endOfSupportDate"] = FeatureReleases.FirstOrDefault(r => r.Version == version).EndOfSupport;
        }
        else if (family == GraphFamilies.WindowsQualityUpdateProfiles)
        {
            var release = (data["expeditedUpdateSettings"] as JsonObject)?["qualityUpdateRelease"]?.GetValue<string>();
            if (DateTimeOffset.TryParse(release, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var date))
            {
                var name = date.ToString("yyyy.MM", System.Globalization.CultureInfo.InvariantCulture) + " B Security Updates for Windows 10 and later";
                data["releaseDateDisplayName"] = $"{date.ToString("MMMM d, yyyy", System.Globalization.CultureInfo.InvariantCulture)} - {name}";
                data["deployableContentDisplayName"] = $"{date.ToString("MM/dd/yyyy", System.Globalization.CultureInfo.InvariantCulture)} - {name}";
            }
            else
            {
                data["releaseDateDisplayName"] = release;
                data["deployableContentDisplayName"] = release;
            }
        }
    }

    private static StoredResource AppConfiguration(SeedRandom rng, SeedContext ctx, string id, int index, (string Created, string Modified) times, string? odataType)
    {
        var ios = odataType is null ? rng.Chance(0.5) : odataType.Contains("ios", StringComparison.OrdinalIgnoreCase);
        var app = rng.Pick(["Outlook", "Teams", "Edge", "OneDrive", "Word"]);
        var data = new JsonObject
        {
            ["@odata.type"] = ios ? "#microsoft.graph.iosMobileAppConfiguration" : "#microsoft.graph.androidManagedStoreAppConfiguration",
            ["id"] = id,
            ["targetedMobileApps"] = Json.Strings([rng.Guid()]),
            ["roleScopeTagIds"] = ScopeTags(rng, ctx),
            ["createdDateTime"] = times.Created,
            ["description"] = "",
            ["lastModifiedDateTime"] = times.Modified,
            ["displayName"] = $"{(ios ? "iOS" : "AND")} - App Config - {app} {index:D4}",
            ["version"] = rng.Between(1, 5),
        };
        if (ios)
        {
            data["encodedSettingXml"] = null;
            data["settings"] = Json.Array(
            [
                new JsonObject { ["appConfigKey"] = "IntuneMAMUPN", ["appConfigKeyType"] = "stringType", ["appConfigKeyValue"] = "{{userprincipalname}}" },
                new JsonObject { ["appConfigKey"] = "com.microsoft.outlook.EmailProfile.AccountType", ["appConfigKeyType"] = "stringType", ["appConfigKeyValue"] = "ModernAuth" },
            ]);
        }
        else
        {
            data["packageId"] = $"app:com.microsoft.{app.ToLowerInvariant()}";
            data["payloadJson"] = Convert.ToBase64String(Encoding.UTF8.GetBytes("{\"kind\":\"androidenterprise#managedConfiguration\",\"managedProperty\":[]}"));
            data["permissionActions"] = Json.Empty();
            data["appSupportsOemConfig"] = false;
            data["profileApplicability"] = "default";
            data["connectedAppsEnabled"] = false;
        }

        return new StoredResource(data);
    }

    /// <summary>Microsoft apps with the Intune SDK: iOS bundle id, Android package id.</summary>
    private static readonly (string Bundle, string Package)[] ManagedApps =
    [
        ("com.microsoft.office.outlook", "com.microsoft.office.outlook"), ("com.microsoft.skype.teams", "com.microsoft.teams"),
        ("com.microsoft.office.excel", "com.microsoft.office.excel"), ("com.microsoft.office.word", "com.microsoft.office.word"),
        ("com.microsoft.office.powerpoint", "com.microsoft.office.powerpoint"), ("com.microsoft.skydrive", "com.microsoft.skydrive"),
        ("com.microsoft.sharepoint", "com.microsoft.sharepoint"), ("com.microsoft.msedge", "com.microsoft.emmx"),
    ];

    /// <summary>A targeted app as the apps navigation answers it (what targetApps stores, NavigationHandlers.TargetApps).</summary>
    public static JsonObject ManagedMobileApp(bool ios, string key) =>
        new()
        {
            ["@odata.type"] = "#microsoft.graph.managedMobileApp",
            ["mobileAppIdentifier"] = ios
                ? new JsonObject { ["@odata.type"] = "#microsoft.graph.iosMobileAppIdentifier", ["bundleId"] = key }
                : new JsonObject { ["@odata.type"] = "#microsoft.graph.androidMobileAppIdentifier", ["packageId"] = key },
            ["id"] = $"{key}.{(ios ? "ios" : "android")}",
            ["version"] = null,
        };

    /// <summary>An app: a Win32 package, an App Store or managed Google Play app, or a web link; the rest of the type from its schema.</summary>
    private static StoredResource MobileApp(SeedRandom rng, SeedContext ctx, string id, int index, (string Created, string Modified) times, string? odataType)
    {
        string[] types = ["win32LobApp", "iosStoreApp", "androidManagedStoreApp", "webApp"];
        var type = odataType?.Replace("#microsoft.graph.", "", StringComparison.Ordinal) ?? rng.Pick(types);
        var (bundle, package) = rng.Pick(ManagedApps);
        var data = new JsonObject
        {
            ["@odata.type"] = $"#microsoft.graph.{type}",
            ["id"] = id,
            ["displayName"] = type switch
            {
                "win32LobApp" => $"{rng.Pick(["7-Zip", "Notepad++", "Company Portal Agent", "VPN Client", "Zoom"])} {index:D4}",
                "webApp" => $"Contoso Intranet {index:D4}",
                _ => $"{bundle.Split('.')[^1]} {index:D4}",
            },
            ["description"] = "",
            ["publisher"] = rng.Pick(["Microsoft Corporation", "Contoso IT", "Igor Pavlov", "Zoom Video Communications"]),
            ["createdDateTime"] = times.Created,
            ["lastModifiedDateTime"] = times.Modified,
            ["roleScopeTagIds"] = ScopeTags(rng, ctx),
            ["isAssigned"] = false,
            ["publishingState"] = "published",
        };
        switch (type)
        {
            case "win32LobApp":
                data["fileName"] = $"setup{index}.intunewin";
                data["installCommandLine"] = "setup.exe /S";
                data["uninstallCommandLine"] = "setup.exe /uninstall /S";
                data["setupFilePath"] = "setup.exe";
                break;
            case "iosStoreApp":
                data["bundleId"] = bundle;
                data["appStoreUrl"] = $"https://apps.apple.com/app/{bundle}";
                break;
            case "androidManagedStoreApp":
                data["packageId"] = package;
                data["appIdentifier"] = package;
                data["appStoreUrl"] = $"https://play.google.com/store/apps/details?id={package}";
                break;
            default:
                data["appUrl"] = $"https://intranet.{ctx.Domain}/";
                data["useManagedBrowser"] = rng.Chance(0.5);
                break;
        }

        return new StoredResource(data);
    }

    /// <summary>
    /// One of Intune's built-in apps: a managed App Store or Google Play app Microsoft makes available to every tenant
    /// (appAvailability "global"), unassigned. Alternates iOS and Android.
    /// </summary>
    public static StoredResource BuiltInApp(SeedRandom rng, SeedContext ctx, int index)
    {
        var ios = index % 2 == 1;
        var (bundle, package) = ManagedApps[(index - 1) / 2 % ManagedApps.Length];
        var created = SeedRandom.IntuneTime(rng.Before(ctx.Anchor, 1500));
        var name = bundle.Split('.')[^1];
        var data = new JsonObject
        {
            ["@odata.type"] = ios ? "#microsoft.graph.managedIOSStoreApp" : "#microsoft.graph.managedAndroidStoreApp",
            ["id"] = rng.Guid(),
            ["displayName"] = $"Microsoft {char.ToUpperInvariant(name[0])}{name[1..]}",
            ["description"] = "",
            ["publisher"] = "Microsoft Corporation",
            ["createdDateTime"] = created,
            ["lastModifiedDateTime"] = created,
            ["isAssigned"] = false,
            ["publishingState"] = "published",
            ["roleScopeTagIds"] = Json.Strings(["0"]),
            ["appAvailability"] = "global",
            ["version"] = null,
            ["appStoreUrl"] = ios ? $"https://apps.apple.com/app/{bundle}" : $"https://play.google.com/store/apps/details?id={package}",
        };
        data[ios ? "bundleId" : "packageId"] = ios ? bundle : package;
        var resource = new StoredResource(data);
        Reshape(FamilyRegistry.Get(GraphFamilies.MobileApps), resource);
        return resource;
    }

    private static StoredResource AppProtection(SeedRandom rng, SeedContext ctx, string id, int index, (string Created, string Modified) times, string type)
    {
        var data = new JsonObject
        {
            ["@odata.type"] = $"#microsoft.graph.{type}",
            ["displayName"] = type switch
            {
                "iosManagedAppProtection" => $"iOS - App Protection - {rng.Pick(Rings)} {index:D4}",
                "androidManagedAppProtection" => $"AND - App Protection - {rng.Pick(Rings)} {index:D4}",
                _ => $"MAM - App Config - {rng.Pick(Rings)} {index:D4}",
            },
            ["description"] = "",
            ["createdDateTime"] = times.Created,
            ["lastModifiedDateTime"] = times.Modified,
            ["roleScopeTagIds"] = ScopeTags(rng, ctx),
            ["id"] = id,
            ["version"] = $"\"{rng.Guid()[..8]}\"",
        };
        if (type == "targetedManagedAppConfiguration")
        {
            data["deployedAppCount"] = 0;
            data["isAssigned"] = false;
            data["customSettings"] = Json.Array([new JsonObject { ["name"] = "com.microsoft.outlook.Mail.FocusedInbox", ["value"] = "false" }]);
        }
        else
        {
            data["periodOfflineBeforeAccessCheck"] = "PT12H";
            data["periodOnlineBeforeAccessCheck"] = "PT30M";
            data["allowedInboundDataTransferSources"] = "allApps";
            data["allowedOutboundDataTransferDestinations"] = "managedApps";
            data["organizationalCredentialsRequired"] = false;
            data["allowedOutboundClipboardSharingLevel"] = "managedAppsWithPasteIn";
            data["dataBackupBlocked"] = true;
            data["deviceComplianceRequired"] = true;
            data["pinRequired"] = true;
            data["minimumPinLength"] = rng.Pick([4, 6]);
            data["isAssigned"] = false;
            data["targetedAppManagementLevels"] = "unspecified";
        }

        // The protected (or configured) apps: two to five of them; MAM app configuration may name apps of both platforms.
        var resource = new StoredResource(data);
        var picked = ManagedApps.OrderBy(_ => rng.Next(1000)).Take(2 + rng.Next(4)).ToList();
        foreach (var (bundle, package) in picked)
        {
            var ios = type switch
            {
                "iosManagedAppProtection" => true,
                "androidManagedAppProtection" => false,
                _ => rng.Chance(0.5),
            };
            resource.Apps.Add(ManagedMobileApp(ios, ios ? bundle : package));
        }

        resource.Data["deployedAppCount"] = resource.Apps.Count;
        return resource;
    }

    private static readonly string[] TermsSubjects = ["Acceptable use", "BYOD agreement", "Corporate device policy", "Data protection notice"];

    /// <summary>Terms and conditions with the properties Microsoft's example shows; "version" counts the admin's re-accept requests.</summary>
    private static StoredResource TermsAndConditions(SeedRandom rng, SeedContext ctx, string id, int index, (string Created, string Modified) times)
    {
        var subject = TermsSubjects[(index - 1) % TermsSubjects.Length];
        var data = new JsonObject
        {
            ["@odata.type"] = "#microsoft.graph.termsAndConditions",
            ["id"] = id,
            ["createdDateTime"] = times.Created,
            ["modifiedDateTime"] = times.Modified,
            ["lastModifiedDateTime"] = times.Modified,
            ["displayName"] = $"TC - {subject} {index:D2}",
            ["description"] = $"{subject} shown in the Company Portal",
            ["title"] = $"{subject} of {ctx.Domain}",
            ["bodyText"] = $"By enrolling this device you agree to the {subject.ToLowerInvariant()} of {ctx.Domain}.",
            ["acceptanceStatement"] = "I have read and accept these terms.",
            ["version"] = 1 + rng.Next(3),
            ["roleScopeTagIds"] = ScopeTags(rng, ctx),
        };
        return new StoredResource(data);
    }

    private static readonly string[] TemplateLocales = ["en-us", "de-de", "fr-fr", "es-es"];

    /// <summary>A notification message template (the e-mail of a compliance action) with one to three localized messages, the first the default.</summary>
    private static StoredResource NotificationTemplate(SeedRandom rng, SeedContext ctx, string id, int index, (string Created, string Modified) times)
    {
        var data = new JsonObject
        {
            ["@odata.type"] = "#microsoft.graph.notificationMessageTemplate",
            ["id"] = id,
            ["lastModifiedDateTime"] = times.Modified,
            ["displayName"] = $"NT - {rng.Pick(["Noncompliant device", "Grace period ending", "Encryption required", "OS update required"])} {index:D2}",
            ["defaultLocale"] = "en-us",
            ["brandingOptions"] = rng.Pick(["none", "includeCompanyLogo", "includeCompanyName", "includeContactInformation", "includeCompanyPortalLink"]),
            ["roleScopeTagIds"] = ScopeTags(rng, ctx),
        };
        var resource = new StoredResource(data);
        var count = 1 + rng.Next(3);
        for (var i = 0; i < count; i++)
        {
            resource.ChildrenOf("localizedNotificationMessages").Add(new JsonObject
            {
                ["@odata.type"] = "#microsoft.graph.localizedNotificationMessage",
                ["id"] = rng.Guid(),
                ["lastModifiedDateTime"] = times.Modified,
                ["locale"] = TemplateLocales[i],
                ["subject"] = $"Action required on your device ({TemplateLocales[i]})",
                ["messageTemplate"] = "Your device does not meet the requirements of {{CompanyName}}. Open the Company Portal to fix it.",
                ["isDefault"] = i == 0,
            });
        }

        return resource;
    }

    /// <summary>Windows app protection (MAM for Edge): the data transfer and device threat settings, Edge as the protected app.</summary>
    private static StoredResource WindowsAppProtection(SeedRandom rng, SeedContext ctx, string id, int index, (string Created, string Modified) times)
    {
        var data = new JsonObject
        {
            ["@odata.type"] = "#microsoft.graph.windowsManagedAppProtection",
            ["displayName"] = $"WIN - App Protection - Edge - {rng.Pick(Rings)} {index:D4}",
            ["description"] = "",
            ["createdDateTime"] = times.Created,
            ["lastModifiedDateTime"] = times.Modified,
            ["roleScopeTagIds"] = ScopeTags(rng, ctx),
            ["id"] = id,
            ["version"] = $"\"{rng.Guid()[..8]}\"",
            ["isAssigned"] = false,
            ["printBlocked"] = rng.Chance(0.5),
            ["allowedInboundDataTransferSources"] = "none",
            ["allowedOutboundClipboardSharingLevel"] = rng.Pick(["none", "anyDestinationAnySource"]),
            ["allowedOutboundDataTransferDestinations"] = "none",
            ["appActionIfUnableToAuthenticateUser"] = "block",
            ["maximumAllowedDeviceThreatLevel"] = rng.Pick(["notConfigured", "secured", "low"]),
            ["mobileThreatDefenseRemediationAction"] = "block",
            ["minimumRequiredOsVersion"] = "10.0.22621.0",
            ["minimumWarningAppVersion"] = "120.0.0.0",
            ["periodOfflineBeforeWipeIsEnforced"] = "P90D",
            ["periodOfflineBeforeAccessCheck"] = "PT12H",
        };
        var resource = new StoredResource(data);
        resource.Apps.Add(WindowsManagedApp("com.microsoft.edge"));
        if (rng.Chance(0.5))
        {
            resource.Apps.Add(WindowsManagedApp("com.microsoft.edge.beta"));
        }

        resource.Data["deployedAppCount"] = resource.Apps.Count;
        return resource;
    }

    /// <summary>A Windows app as the apps navigation answers it (windowsAppIdentifier; NavigationHandlers.TargetApps).</summary>
    public static JsonObject WindowsManagedApp(string key) =>
        new()
        {
            ["@odata.type"] = "#microsoft.graph.managedMobileApp",
            ["mobileAppIdentifier"] = new JsonObject { ["@odata.type"] = "#microsoft.graph.windowsAppIdentifier", ["windowsAppId"] = key },
            ["id"] = $"{key}.windows",
            ["version"] = null,
        };

    /// <summary>
    /// Windows Information Protection (retired by Microsoft), without or with enrollment: the enterprise domain and
    /// network, the protected apps, a protected AppLocker file and sometimes an exempt one (base64 XML, a few hundred bytes).
    /// </summary>
    private static StoredResource InformationProtection(SeedRandom rng, SeedContext ctx, string id, int index, (string Created, string Modified) times, bool mdm)
    {
        var type = mdm ? "mdmWindowsInformationProtectionPolicy" : "windowsInformationProtectionPolicy";
        var data = new JsonObject
        {
            ["@odata.type"] = $"#microsoft.graph.{type}",
            ["displayName"] = $"WIP - {(mdm ? "MDM" : "MAM")} - {rng.Pick(Rings)} {index:D4}",
            ["description"] = "",
            ["createdDateTime"] = times.Created,
            ["lastModifiedDateTime"] = times.Modified,
            ["roleScopeTagIds"] = ScopeTags(rng, ctx),
            ["id"] = id,
            ["version"] = $"\"{rng.Guid()[..8]}\"",
            ["enforcementLevel"] = rng.Pick(["encryptAndAuditOnly", "encryptAuditAndPrompt", "encryptAuditAndBlock"]),
            ["enterpriseDomain"] = ctx.Domain,
            ["enterpriseProtectedDomainNames"] = Json.Array(
            [
                new JsonObject { ["@odata.type"] = "#microsoft.graph.windowsInformationProtectionResourceCollection", ["displayName"] = "Protected domains", ["resources"] = Json.Strings([ctx.Domain]) },
            ]),
            ["protectedApps"] = Json.Array(
            [
                new JsonObject
                {
                    ["@odata.type"] = "#microsoft.graph.windowsInformationProtectionStoreApp", ["displayName"] = "Microsoft Teams", ["description"] = "",
                    ["publisherName"] = "O=MICROSOFT CORPORATION, L=REDMOND, S=WASHINGTON, C=US", ["productName"] = "MicrosoftTeams", ["denied"] = false,
                },
            ]),
            ["iconsVisible"] = true,
            ["isAssigned"] = false,
        };
        var resource = new StoredResource(data);
        foreach (var navigation in new[] { "protectedAppLockerFiles", "exemptAppLockerFiles" })
        {
            // Every policy protects a line-of-business app through a file; some exempt one too.
            if (navigation.StartsWith("protected", StringComparison.Ordinal) || rng.Chance(0.5))
            {
                var xml = $"<AppLockerPolicy Version=\"1\"><RuleCollection Type=\"Exe\" EnforcementMode=\"Enabled\"><FilePublisherRule Id=\"{rng.Guid()}\" Name=\"Contoso LOB {index}\" UserOrGroupSid=\"S-1-1-0\" Action=\"Allow\" /></RuleCollection></AppLockerPolicy>";
                resource.ChildrenOf(navigation).Add(new JsonObject
                {
                    ["@odata.type"] = "#microsoft.graph.windowsInformationProtectionAppLockerFile",
                    ["displayName"] = $"{(navigation.StartsWith("protected", StringComparison.Ordinal) ? "Protected" : "Exempt")} LOB apps",
                    ["fileHash"] = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(xml))),
                    ["file"] = Convert.ToBase64String(Encoding.UTF8.GetBytes(xml)),
                    ["id"] = rng.Guid(),
                    ["version"] = "1",
                });
            }
        }

        return resource;
    }

    /// <summary>A 1×1 PNG: what the branding profiles' images hold here.</summary>
    private const string TinyPng = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==";

    /// <summary>
    /// A Company Portal branding profile with the properties Microsoft's example shows. The first of a tenant is its
    /// default profile (isDefaultProfile, unassigned); the images are stored in full and answered only when $selected.
    /// </summary>
    private static StoredResource BrandingProfile(SeedRandom rng, SeedContext ctx, string id, int index, (string Created, string Modified) times)
    {
        var isDefault = index == 1;
        JsonObject Image() => new() { ["@odata.type"] = "#microsoft.graph.mimeContent", ["type"] = "image/png", ["value"] = TinyPng };
        var data = new JsonObject
        {
            ["@odata.type"] = "#microsoft.graph.intuneBrandingProfile",
            ["id"] = id,
            ["profileName"] = isDefault ? "Default" : $"BR - {rng.Pick(["Subsidiary", "Kiosk", "Contractors", "Region EMEA"])} {index:D2}",
            ["profileDescription"] = isDefault ? "The tenant's default branding" : "Branding for a part of the organization",
            ["isDefaultProfile"] = isDefault,
            ["createdDateTime"] = times.Created,
            ["lastModifiedDateTime"] = times.Modified,
            ["displayName"] = ctx.Domain.Split('.')[0],
            ["themeColor"] = new JsonObject { ["@odata.type"] = "#microsoft.graph.rgbColor", ["r"] = rng.Next(256), ["g"] = rng.Next(256), ["b"] = rng.Next(256) },
            ["showLogo"] = true,
            ["showDisplayNameNextToLogo"] = rng.Chance(0.5),
            ["themeColorLogo"] = Image(),
            ["lightBackgroundLogo"] = Image(),
            ["landingPageCustomizedImage"] = rng.Chance(0.5) ? Image() : null,
            ["contactITName"] = "IT Service Desk",
            ["contactITPhoneNumber"] = "+49 30 1234567",
            ["contactITEmailAddress"] = $"servicedesk@{ctx.Domain}",
            ["contactITNotes"] = "Weekdays 8-18",
            ["onlineSupportSiteUrl"] = $"https://support.{ctx.Domain}",
            ["onlineSupportSiteName"] = "IT support",
            ["privacyUrl"] = $"https://{ctx.Domain}/privacy",
            ["customPrivacyMessage"] = "Your organization cannot see your personal data.",
            ["customCanSeePrivacyMessage"] = "Your organization can see the device model and serial number.",
            ["customCantSeePrivacyMessage"] = "Your organization cannot see your e-mail, photos or browsing history.",
            ["isRemoveDeviceDisabled"] = false,
            ["isFactoryResetDisabled"] = rng.Chance(0.5),
            ["companyPortalBlockedActions"] = new JsonArray(new JsonObject
            {
                ["@odata.type"] = "#microsoft.graph.companyPortalBlockedAction",
                ["platform"] = "android",
                ["ownerType"] = "company",
                ["action"] = "reset",
            }),
            ["showAzureADEnterpriseApps"] = rng.Chance(0.5),
            ["showOfficeWebApps"] = rng.Chance(0.5),
            ["sendDeviceOwnershipChangePushNotification"] = true,
            ["enrollmentAvailability"] = "availableWithPrompts",
            ["disableClientTelemetry"] = false,
            ["roleScopeTagIds"] = isDefault ? Json.Strings(["0"]) : ScopeTags(rng, ctx),
        };
        return new StoredResource(data);
    }

    /// <summary>
    /// A policy set bundling two to five objects seeded before it (configurations, compliance policies, apps, app
    /// protection), each item naming its object by payloadId; apps go with an install intent.
    /// </summary>
    private static StoredResource PolicySet(SeedRandom rng, SeedContext ctx, string id, int index, (string Created, string Modified) times)
    {
        var data = new JsonObject
        {
            ["@odata.type"] = "#microsoft.graph.policySet",
            ["id"] = id,
            ["createdDateTime"] = times.Created,
            ["lastModifiedDateTime"] = times.Modified,
            ["displayName"] = $"Policy set - {rng.Pick(Rings)} baseline {index:D4}",
            ["description"] = "",
            ["status"] = "success",
            ["errorCode"] = "noError",
            ["guidedDeploymentTags"] = Json.Empty(),
            ["roleScopeTags"] = ScopeTags(rng, ctx),
        };
        var resource = new StoredResource(data);
        var items = resource.ChildrenOf("items");
        foreach (var (itemType, payloadId, name) in ctx.PolicySetPayloads.OrderBy(_ => rng.Next(1000)).Take(2 + rng.Next(4)))
        {
            var item = new JsonObject
            {
                ["@odata.type"] = $"#microsoft.graph.{itemType}",
                ["id"] = rng.Guid(),
                ["createdDateTime"] = times.Created,
                ["lastModifiedDateTime"] = times.Modified,
                ["payloadId"] = payloadId,
                ["itemType"] = PolicySetItemType(itemType),
                ["displayName"] = name,
                ["status"] = "success",
                ["errorCode"] = "noError",
                ["guidedDeploymentTags"] = Json.Empty(),
            };
            if (itemType == "mobileAppPolicySetItem")
            {
                item["intent"] = "required";
                item["settings"] = null;
            }
            else if (itemType == "managedAppProtectionPolicySetItem")
            {
                item["targetedAppManagementLevels"] = "unspecified";
            }

            items.Add(item);
        }

        return resource;
    }

    /// <summary>The item's kind as Intune names it: the payload's base type.</summary>
    private static string PolicySetItemType(string itemType) =>
        itemType switch
        {
            "deviceConfigurationPolicySetItem" => "#microsoft.graph.deviceConfiguration",
            "deviceCompliancePolicyPolicySetItem" => "#microsoft.graph.deviceCompliancePolicy",
            "mobileAppPolicySetItem" => "#microsoft.graph.mobileApp",
            _ => "#microsoft.graph.managedAppProtection",
        };

    private static readonly string[] EnrollmentKinds =
    [
        "windows10EnrollmentCompletionPageConfiguration", "deviceEnrollmentLimitConfiguration",
        "deviceEnrollmentPlatformRestrictionsConfiguration", "deviceEnrollmentWindowsHelloForBusinessConfiguration",
    ];

    private static readonly string[] DefaultEnrollmentSuffixes =
    [
        "DefaultWindows10EnrollmentCompletionPageConfiguration", "DefaultLimit", "DefaultPlatformRestrictions", "DefaultWindowsHelloForBusiness",
    ];

    /// <summary>
    /// An enrollment configuration with the properties Microsoft's examples show. The first four of a tenant are its
    /// defaults: id "{tenantId}_Default…", priority 0, "All users and all devices".
    /// </summary>
    private static StoredResource EnrollmentConfiguration(SeedRandom rng, SeedContext ctx, string id, int index, (string Created, string Modified) times)
    {
        var kind = (index - 1) % EnrollmentKinds.Length;
        var isDefault = index <= EnrollmentKinds.Length && ctx.TenantId.Length > 0;
        var data = new JsonObject
        {
            ["@odata.type"] = $"#microsoft.graph.{EnrollmentKinds[kind]}",
            ["id"] = isDefault ? $"{ctx.TenantId}_{DefaultEnrollmentSuffixes[kind]}" : id,
            ["displayName"] = isDefault ? "All users and all devices" : $"ENR - {EnrollmentKinds[kind][..^"Configuration".Length]} - {rng.Pick(Rings)} {index:D4}",
            ["description"] = isDefault ? "This is the default enrollment configuration applied with the lowest priority to all users and devices regardless of group membership." : "",
            ["priority"] = isDefault ? 0 : (index - 1) / EnrollmentKinds.Length,
            ["createdDateTime"] = times.Created,
            ["lastModifiedDateTime"] = times.Modified,
            ["version"] = 1 + rng.Next(5),
            ["roleScopeTagIds"] = isDefault ? Json.Strings(["0"]) : ScopeTags(rng, ctx),
        };
        switch (kind)
        {
            case 0:
                data["showInstallationProgress"] = true;
                data["blockDeviceSetupRetryByUser"] = rng.Chance(0.5);
                data["allowDeviceResetOnInstallFailure"] = rng.Chance(0.5);
                data["allowLogCollectionOnInstallFailure"] = true;
                data["customErrorMessage"] = "Setup could not be completed. Please try again or contact your support person for help.";
                data["installProgressTimeoutInMinutes"] = rng.Pick([60, 90, 120]);
                data["allowDeviceUseOnInstallFailure"] = rng.Chance(0.3);
                data["selectedMobileAppIds"] = Json.Empty();
                data["trackInstallProgressForAutopilotOnly"] = rng.Chance(0.7);
                data["disableUserStatusTrackingAfterFirstUser"] = true;
                break;
            case 1:
                data["limit"] = isDefault ? 5 : rng.Pick([3, 10, 15]);
                break;
            case 2:
                foreach (var platform in new[] { "ios", "windows", "windowsHomeSku", "windowsMobile", "android", "androidForWork", "aosp", "mac", "macOS" })
                {
                    data[platform + "Restriction"] = new JsonObject
                    {
                        ["@odata.type"] = "microsoft.graph.deviceEnrollmentPlatformRestriction",
                        ["platformBlocked"] = platform is "windowsMobile" or "mac" || rng.Chance(0.1),
                        ["personalDeviceEnrollmentBlocked"] = rng.Chance(0.5),
                        ["osMinimumVersion"] = platform == "windows" && rng.Chance(0.5) ? "10.0.19045" : null,
                        ["osMaximumVersion"] = null,
                        ["blockedManufacturers"] = Json.Empty(),
                        ["blockedSkus"] = Json.Empty(),
                    };
                }

                break;
            default:
                data["pinMinimumLength"] = rng.Pick([6, 8]);
                data["pinMaximumLength"] = 127;
                data["pinUppercaseCharactersUsage"] = rng.Pick(["allowed", "notAllowed", "required"]);
                data["pinLowercaseCharactersUsage"] = rng.Pick(["allowed", "notAllowed", "required"]);
                data["pinSpecialCharactersUsage"] = rng.Pick(["allowed", "notAllowed"]);
                data["state"] = rng.Pick(["enabled", "notConfigured"]);
                data["securityDeviceRequired"] = rng.Chance(0.5);
                data["unlockWithBiometricsEnabled"] = true;
                data["remotePassportEnabled"] = rng.Chance(0.5);
                data["pinPreviousBlockCount"] = 0;
                data["pinExpirationInDays"] = 0;
                data["enhancedBiometricsState"] = "notConfigured";
                data["securityKeyForSignIn"] = "notConfigured";
                break;
        }

        return new StoredResource(data);
    }

    private static StoredResource AutopilotProfile(SeedRandom rng, SeedContext ctx, string id, int index, (string Created, string Modified) times, string? odataType)
    {
        var hybrid = odataType is null ? rng.Chance(0.2) : odataType.Contains("activeDirectory", StringComparison.OrdinalIgnoreCase);
        var data = new JsonObject
        {
            ["@odata.type"] = hybrid
                ? "#microsoft.graph.activeDirectoryWindowsAutopilotDeploymentProfile"
                : "#microsoft.graph.azureADWindowsAutopilotDeploymentProfile",
            ["id"] = id,
            ["displayName"] = $"AP - {(hybrid ? "Hybrid Join" : "Entra Join")} - {rng.Pick(Rings)} {index:D4}",
            ["description"] = "",
            ["language"] = rng.Pick(["os-default", "de-DE", "en-US"]),
            ["locale"] = rng.Pick(["os-default", "de-DE", "en-US"]),
            ["createdDateTime"] = times.Created,
            ["lastModifiedDateTime"] = times.Modified,
            ["outOfBoxExperienceSettings"] = new JsonObject
            {
                ["hidePrivacySettings"] = true,
                ["hideEULA"] = true,
                ["userType"] = rng.Chance(0.8) ? "standard" : "administrator",
                ["deviceUsageType"] = rng.Chance(0.9) ? "singleUser" : "shared",
                ["skipKeyboardSelectionPage"] = true,
                ["hideEscapeLink"] = true,
            },
            ["enrollmentStatusScreenSettings"] = null,
            ["extractHardwareHash"] = rng.Chance(0.5),
            ["deviceNameTemplate"] = rng.Chance(0.6) ? "CTS-%SERIAL%" : "",
            ["deviceType"] = "windowsPc",
            ["enableWhiteGlove"] = rng.Chance(0.3),
            ["preprovisioningAllowed"] = rng.Chance(0.3),
            ["roleScopeTagIds"] = ScopeTags(rng, ctx),
            ["managementServiceAppId"] = null,
        };
        if (hybrid)
        {
            data["hybridAzureADJoinSkipConnectivityCheck"] = false;
        }

        return new StoredResource(data);
    }

    private static readonly (string Platform, string Rule, string Name)[] FilterShapes =
    [
        ("windows10AndLater", "(device.deviceOwnership -eq \"Corporate\")", "Windows Corporate"),
        ("windows10AndLater", "(device.osVersion -startsWith \"10.0.22\")", "Windows 11"),
        ("windows10AndLater", "(device.model -contains \"Surface\")", "Surface devices"),
        ("iOS", "(device.deviceOwnership -eq \"Personal\")", "iOS Personal"),
        ("android", "(device.manufacturer -eq \"Samsung\")", "Android Samsung"),
        ("macOS", "(device.osVersion -startsWith \"14\")", "macOS Sonoma"),
    ];

    public static StoredResource AssignmentFilter(SeedRandom rng, string id, int index, (string Created, string Modified) times)
    {
        var shape = FilterShapes[index % FilterShapes.Length];
        var data = new JsonObject
        {
            ["createdDateTime"] = times.Created,
            ["lastModifiedDateTime"] = times.Modified,
            ["displayName"] = $"Filter - {shape.Name} {index:D2}",
            ["description"] = "",
            ["platform"] = shape.Platform,
            ["rule"] = shape.Rule,
            ["roleScopeTags"] = Json.Strings(["0"]),
            ["payloads"] = Json.Empty(),
            ["assignmentFilterManagementType"] = "devices",
            ["id"] = id,
        };
        return new StoredResource(Shaped(data, "microsoft.graph.deviceAndAppManagementAssignmentFilter"));
    }

    public static string FilterPlatform(int index) => FilterShapes[index % FilterShapes.Length].Platform;

    private static readonly string[] ScopeTagNames =
    [
        "Region-EMEA", "Region-APAC", "Region-AMER", "Helpdesk-Berlin", "Helpdesk-Austin", "Finance", "Schools", "Retail-Stores",
    ];

    public static StoredResource ScopeTag(string id, int index)
    {
        var builtIn = id == "0";
        var data = new JsonObject
        {
            ["id"] = id,
            ["displayName"] = builtIn ? "Default" : index <= ScopeTagNames.Length ? ScopeTagNames[index - 1] : $"Scope-{index:D2}",
            ["description"] = builtIn ? "" : "Scope tag for a delegated admin team",
            ["isBuiltIn"] = builtIn,
        };
        return new StoredResource(Shaped(data, "microsoft.graph.roleScopeTag"));
    }

    private static readonly (string Name, string Description, string[] Actions)[] BuiltInRoles =
    [
        ("Policy and Profile manager", "Policy and Profile Manager manages compliance policy, configuration profiles, Apple enrollment, corporate device identifiers, and security baselines.",
            ["Microsoft.Intune_DeviceConfigurations_Read", "Microsoft.Intune_DeviceConfigurations_Create", "Microsoft.Intune_DeviceConfigurations_Update", "Microsoft.Intune_DeviceConfigurations_Delete", "Microsoft.Intune_DeviceConfigurations_Assign", "Microsoft.Intune_DeviceCompliancePolices_Read", "Microsoft.Intune_DeviceCompliancePolices_Create"]),
        ("School Administrator", "School Administrators manage apps and settings for their groups in Intune for Education.",
            ["Microsoft.Intune_MobileApps_Read", "Microsoft.Intune_MobileApps_Assign", "Microsoft.Intune_DeviceConfigurations_Read"]),
        ("Help Desk Operator", "Help Desk Operators perform remote tasks on users and devices, and can assign applications or policies to users or devices.",
            ["Microsoft.Intune_RemoteTasks_Wipe", "Microsoft.Intune_RemoteTasks_RebootNow", "Microsoft.Intune_ManagedDevices_Read", "Microsoft.Intune_DeviceConfigurations_Read"]),
        ("Application Manager", "Application Manager manages mobile and managed applications, and can read device information and device configuration profiles.",
            ["Microsoft.Intune_MobileApps_Read", "Microsoft.Intune_MobileApps_Create", "Microsoft.Intune_MobileApps_Update", "Microsoft.Intune_MobileApps_Assign", "Microsoft.Intune_ManagedApps_Read"]),
        ("Read Only Operator", "Read Only Operators can view user, device, enrollment, configuration, and application information but cannot make changes to Intune.",
            ["Microsoft.Intune_DeviceConfigurations_Read", "Microsoft.Intune_DeviceCompliancePolices_Read", "Microsoft.Intune_MobileApps_Read", "Microsoft.Intune_ManagedDevices_Read", "Microsoft.Intune_Roles_Read"]),
        ("Intune Role Administrator", "Intune Role Administrator manages custom Intune roles and adds assignments for built-in Intune roles.",
            ["Microsoft.Intune_Roles_Read", "Microsoft.Intune_Roles_Create", "Microsoft.Intune_Roles_Update", "Microsoft.Intune_Roles_Delete", "Microsoft.Intune_Roles_Assign"]),
        ("Endpoint Security Manager", "Manages security and compliance features such as security baselines, device compliance, conditional access, and Microsoft Defender for Endpoint.",
            ["Microsoft.Intune_SecurityBaselines_Read", "Microsoft.Intune_SecurityBaselines_Create", "Microsoft.Intune_DeviceCompliancePolices_Read", "Microsoft.Intune_SecurityTasks_Read"]),
    ];

    /// <summary>Built-in roles carry the same ids in every tenant, like Intune's.</summary>
    public static IEnumerable<StoredResource> BuiltInRoleDefinitions()
    {
        var rng = new SeedRandom(1_234_567, "builtInRoleDefinitions");
        foreach (var role in BuiltInRoles)
        {
            yield return new StoredResource(Shaped(RoleDefinition(rng.Guid(), role.Name, role.Description, isBuiltIn: true, role.Actions, Json.Strings(["0"])), "microsoft.graph.deviceAndAppManagementRoleDefinition"));
        }
    }

    private static StoredResource CustomRoleDefinition(SeedRandom rng, SeedContext ctx, string id, int index)
    {
        var actions = rng.Chance(0.5)
            ? new[] { "Microsoft.Intune_DeviceConfigurations_Read", "Microsoft.Intune_DeviceConfigurations_Assign", "Microsoft.Intune_Organization_Read" }
            : ["Microsoft.Intune_ManagedDevices_Read", "Microsoft.Intune_RemoteTasks_SyncDevice", "Microsoft.Intune_RemoteTasks_RebootNow"];
        return new StoredResource(RoleDefinition(
            id, $"Custom - {rng.Pick(["Regional Helpdesk", "Policy Reviewer", "Device Operator", "Compliance Auditor"])} {index:D2}",
            "Custom role", isBuiltIn: false, actions, ScopeTags(rng, ctx)));
    }

    private static JsonObject RoleDefinition(string id, string name, string description, bool isBuiltIn, string[] actions, JsonArray scopeTags) => new()
    {
        ["@odata.type"] = "#microsoft.graph.deviceAndAppManagementRoleDefinition",
        ["id"] = id,
        ["displayName"] = name,
        ["description"] = description,
        ["isBuiltInRoleDefinition"] = isBuiltIn,
        ["isBuiltIn"] = isBuiltIn,
        ["roleScopeTagIds"] = scopeTags,
        ["permissions"] = Json.Array(
        [
            new JsonObject
            {
                ["actions"] = Json.Strings(actions),
                ["resourceActions"] = Json.Array([new JsonObject { ["allowedResourceActions"] = Json.Strings(actions), ["notAllowedResourceActions"] = Json.Empty() }]),
            },
        ]),
        ["rolePermissions"] = Json.Array(
        [
            new JsonObject
            {
                ["actions"] = Json.Strings(actions),
                ["resourceActions"] = Json.Array([new JsonObject { ["allowedResourceActions"] = Json.Strings(actions), ["notAllowedResourceActions"] = Json.Empty() }]),
            },
        ]),
    };

    /// <summary>0–3 assignments per policy targeting the tenant's groups, all devices or all users, some with a filter.</summary>
    private static IEnumerable<JsonObject> Assignments(SeedRandom rng, SeedContext ctx, string family, string policyId, string modified)
    {
        var roll = rng.Next(100);
        var count = roll < 20 ? 0 : roll < 60 ? 1 : roll < 85 ? 2 : 3;
        var usedTargets = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < count; i++)
        {
            var kind = rng.Next(100);
            string targetType;
            string? groupId = null;
            if (kind < 60 && ctx.GroupIds.Count > 0)
            {
                targetType = "groupAssignmentTarget";
                groupId = rng.Pick(ctx.GroupIds);
            }
            else if (kind < 75 && ctx.GroupIds.Count > 0)
            {
                targetType = "exclusionGroupAssignmentTarget";
                groupId = rng.Pick(ctx.GroupIds);
            }
            else if (kind < 90)
            {
                targetType = "allDevicesAssignmentTarget";
            }
            else
            {
                targetType = "allLicensedUsersAssignmentTarget";
            }

            var targetKey = groupId ?? targetType;
            if (!usedTargets.Add(targetKey))
            {
                continue;
            }

            FilterRef? filter = targetType != "exclusionGroupAssignmentTarget" && ctx.Filters.Count > 0 && rng.Chance(0.25)
                ? rng.Pick(ctx.Filters)
                : null;
            var target = new JsonObject
            {
                ["@odata.type"] = $"#microsoft.graph.{targetType}",
                ["deviceAndAppManagementAssignmentFilterId"] = filter?.Id,
                ["deviceAndAppManagementAssignmentFilterType"] = filter is null ? "none" : rng.Chance(0.7) ? "include" : "exclude",
            };
            if (groupId is not null)
            {
                target["groupId"] = groupId;
            }

            yield return Assignment(family, policyId, target, modified);
        }
    }

    /// <summary>An assignment in the family's shape; ids follow Intune's "{policyId}_{groupId}" convention.</summary>
    public static JsonObject Assignment(string family, string policyId, JsonObject target, string modified)
    {
        var targetId = target["groupId"]?.GetValue<string>()
            ?? (target["@odata.type"]?.GetValue<string>() is { } type && type.Contains("allLicensedUsers", StringComparison.Ordinal)
                ? AllUsersTargetId
                : AllDevicesTargetId);
        var assignment = new JsonObject { ["id"] = $"{policyId}_{targetId}" };
        switch (family)
        {
            case GraphFamilies.DeviceConfigurations:
                assignment["source"] = "direct";
                assignment["sourceId"] = policyId;
                assignment["intent"] = "apply";
                break;
            case GraphFamilies.GroupPolicyConfigurations:
                assignment["lastModifiedDateTime"] = modified;
                break;
            case GraphFamilies.PolicySets:
                // policySetAssignment: the target and when it changed (intune-policyset-policysetassignment-get).
                assignment["@odata.type"] = "#microsoft.graph.policySetAssignment";
                assignment["lastModifiedDateTime"] = modified;
                break;
            case GraphFamilies.DeviceEnrollmentConfigurations:
                assignment["@odata.type"] = "#microsoft.graph.enrollmentConfigurationAssignment";
                assignment["source"] = "direct";
                assignment["sourceId"] = policyId;
                break;
            case GraphFamilies.TermsAndConditions:
                assignment["@odata.type"] = "#microsoft.graph.termsAndConditionsAssignment";
                break;
            case GraphFamilies.IntuneBrandingProfiles:
                assignment["@odata.type"] = "#microsoft.graph.intuneBrandingProfileAssignment";
                break;
            case GraphFamilies.Intents:
                // deviceManagementIntentAssignment: an id and the target only.
                break;
            case GraphFamilies.DeviceManagementScripts:
            case GraphFamilies.DeviceShellScripts:
            case GraphFamilies.DeviceCustomAttributeShellScripts:
            case GraphFamilies.MobileAppConfigurations:
            case GraphFamilies.WindowsFeatureUpdateProfiles:
            case GraphFamilies.WindowsQualityUpdateProfiles:
            case GraphFamilies.WindowsDriverUpdateProfiles:
                break;
            case GraphFamilies.MobileApps:
                // An app's assignment: what the assignment does (install, make available, uninstall); settings as Graph answers
                // them for a plain assignment.
                assignment["@odata.type"] = "#microsoft.graph.mobileAppAssignment";
                assignment["intent"] = target["@odata.type"]?.GetValue<string>()?.Contains("exclusion", StringComparison.Ordinal) == true ? "required"
                    : target["@odata.type"]?.GetValue<string>()?.Contains("allLicensedUsers", StringComparison.Ordinal) == true ? "available" : "required";
                assignment["settings"] = null;
                break;
            case GraphFamilies.DeviceHealthScripts:
            case GraphFamilies.DeviceComplianceScripts:
                // A remediation's assignment says whether the remediation script runs and when (daily at a time here);
                // compliance scripts share the assignment type and have no remediation to run.
                assignment["runRemediationScript"] = family == GraphFamilies.DeviceHealthScripts;
                assignment["runSchedule"] = new JsonObject
                {
                    ["@odata.type"] = "#microsoft.graph.deviceHealthScriptDailySchedule",
                    ["interval"] = 1,
                    ["useUtc"] = false,
                    ["time"] = "09:00:00",
                };
                break;
            default:
                assignment["source"] = "direct";
                assignment["sourceId"] = policyId;
                break;
        }

        assignment["target"] = target;
        return assignment;
    }

    private static readonly string[] AccessStates = ["enabled", "enabled", "enabledForReportingButNotEnforced", "disabled"];

    private static readonly (string Name, string[] Controls)[] AccessRules =
    [
        ("Require MFA for admins", ["mfa"]),
        ("Require compliant device", ["compliantDevice", "domainJoinedDevice"]),
        ("Block legacy authentication", ["block"]),
        ("Require MFA outside trusted locations", ["mfa"]),
        ("Require approved client app", ["approvedApplication", "compliantApplication"]),
    ];

    /// <summary>
    /// A Conditional Access policy shaped like Microsoft's v1.0 example (conditionalaccesspolicy-get): users, groups,
    /// roles, applications and named locations referenced by id inside "conditions" — the tenant's own groups and
    /// named locations, so a policy read from one tenant names ids another tenant does not have.
    /// </summary>
    private static StoredResource ConditionalAccessPolicy(SeedRandom rng, SeedContext ctx, string id, int index, DateTimeOffset created, DateTimeOffset modified)
    {
        var (name, controls) = AccessRules[(index - 1) % AccessRules.Length];
        var block = controls is ["block"];
        var includeGroups = ctx.GroupIds.Count > 0 ? Json.Strings([rng.Pick(ctx.GroupIds)]) : Json.Empty();
        var excludeGroups = ctx.GroupIds.Count > 1 && rng.Chance(0.5) ? Json.Strings([rng.Pick(ctx.GroupIds)]) : Json.Empty();
        var locations = ctx.NamedLocationIds.Count > 0 && rng.Chance(0.7)
            ? new JsonObject { ["includeLocations"] = Json.Strings(["All"]), ["excludeLocations"] = Json.Strings(["AllTrusted", rng.Pick(ctx.NamedLocationIds)]) }
            : null;
        return new StoredResource(new JsonObject
        {
            ["id"] = id,
            ["displayName"] = $"CA{index:D3} - {name}",
            ["createdDateTime"] = SeedRandom.DirectoryTime(created),
            ["modifiedDateTime"] = rng.Chance(0.8) ? SeedRandom.DirectoryTime(modified) : null,
            ["state"] = rng.Pick(AccessStates),
            ["conditions"] = new JsonObject
            {
                ["signInRiskLevels"] = Json.Empty(),
                ["clientAppTypes"] = block ? Json.Strings(["exchangeActiveSync", "other"]) : Json.Strings(["all"]),
                ["applications"] = new JsonObject
                {
                    ["includeApplications"] = Json.Strings(["All"]),
                    // Azure DevOps and Microsoft Intune Enrollment, as in Microsoft's example: apps, not tenant objects.
                    ["excludeApplications"] = rng.Chance(0.5) ? Json.Strings(["499b84ac-1321-427f-aa17-267ca6975798"]) : Json.Empty(),
                    ["includeUserActions"] = Json.Empty(),
                },
                ["users"] = new JsonObject
                {
                    ["includeUsers"] = includeGroups.Count == 0 ? Json.Strings(["All"]) : Json.Empty(),
                    ["excludeUsers"] = Json.Strings(["GuestsOrExternalUsers"]),
                    ["includeGroups"] = includeGroups,
                    ["excludeGroups"] = excludeGroups,
                    // Global Administrator's role template id (the same in every tenant).
                    ["includeRoles"] = index % 5 == 1 ? Json.Strings(["62e90394-69f5-4237-9190-012177145e10"]) : Json.Empty(),
                    ["excludeRoles"] = Json.Empty(),
                },
                ["platforms"] = rng.Chance(0.4)
                    ? new JsonObject { ["includePlatforms"] = Json.Strings(["all"]), ["excludePlatforms"] = Json.Strings(["iOS", "windowsPhone"]) }
                    : null,
                ["locations"] = locations,
            },
            ["grantControls"] = new JsonObject
            {
                ["operator"] = "OR",
                ["builtInControls"] = Json.Strings(controls),
                ["customAuthenticationFactors"] = Json.Empty(),
                ["termsOfUse"] = Json.Empty(),
            },
            ["sessionControls"] = block ? null : new JsonObject
            {
                ["applicationEnforcedRestrictions"] = null,
                ["persistentBrowser"] = null,
                ["cloudAppSecurity"] = null,
                ["signInFrequency"] = rng.Chance(0.5) ? new JsonObject { ["value"] = 4, ["type"] = "hours", ["isEnabled"] = true } : null,
            },
        });
    }

    /// <summary>A named location as in Microsoft's v1.0 examples: IP ranges (IPv4 and IPv6 CIDR) or countries.</summary>
    private static StoredResource NamedLocation(SeedRandom rng, string id, int index, DateTimeOffset created, string? odataType)
    {
        var country = odataType?.EndsWith("countryNamedLocation", StringComparison.Ordinal) ?? index % 3 == 0;
        var data = new JsonObject
        {
            ["@odata.type"] = country ? "#microsoft.graph.countryNamedLocation" : "#microsoft.graph.ipNamedLocation",
            ["id"] = id,
            ["displayName"] = country ? $"Countries {index:D2}" : $"Office network {index:D2}",
            ["modifiedDateTime"] = SeedRandom.DirectoryTime(created),
            ["createdDateTime"] = SeedRandom.DirectoryTime(created),
        };
        if (country)
        {
            data["countriesAndRegions"] = Json.Strings(rng.Chance(0.5) ? ["US", "GB"] : ["DE", "AT", "CH"]);
            data["includeUnknownCountriesAndRegions"] = rng.Chance(0.3);
        }
        else
        {
            data["isTrusted"] = rng.Chance(0.6);
            data["ipRanges"] = Json.Array(
            [
                new JsonObject { ["@odata.type"] = "#microsoft.graph.iPv4CidrRange", ["cidrAddress"] = $"203.0.{rng.Between(0, 255)}.0/24" },
                new JsonObject { ["@odata.type"] = "#microsoft.graph.iPv6CidrRange", ["cidrAddress"] = $"2001:db8:{rng.Between(1, 9999)}::/48" },
            ]);
        }

        return new StoredResource(data);
    }
}
