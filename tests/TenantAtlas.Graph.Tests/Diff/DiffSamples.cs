using System.Text.Json.Nodes;

namespace TenantAtlas.Graph.Tests.Diff;

/// <summary>
/// Realistic Intune bodies written for these tests, in the shapes Graph returns and the backup stores (modelled on the
/// Graph API reference and on the emulator's seeded objects; no Microsoft text is copied here).
/// </summary>
internal static class DiffSamples
{
    public static JsonObject Parse(string json) => JsonNode.Parse(json)!.AsObject();

    public static JsonArray ParseArray(string json) => JsonNode.Parse(json)!.AsArray();

    public const string RealTimeMonitoring = "device_vendor_msft_policy_config_defender_allowrealtimemonitoring";
    public const string CloudProtection = "device_vendor_msft_policy_config_defender_allowcloudprotection";
    public const string ActiveHoursStart = "device_vendor_msft_policy_config_update_activehoursstart";
    public const string StartupAuthentication = "device_vendor_msft_bitlocker_systemdrivesrequirestartupauthentication";
    public const string FirewallRules = "vendor_msft_firewall_mdmstore_firewallrules_{firewallrulename}";

    /// <summary>A settings catalog policy as a backup stores it (GET with $expand=settings; assignments kept apart).</summary>
    public static JsonObject SettingsCatalogPolicy(
        string realTimeMonitoring = "_1",
        int activeHoursStart = 8,
        string pinUsage = "_0",
        string ruleDirection = "_out",
        string id = "9f4e3c2a-7b1d-4c8e-a6f0-2d5b8e9c1a37",
        string created = "2025-03-02T09:14:22.1234567Z",
        bool reverseSettings = false)
    {
        var policy = Parse($$"""
        {
          "@odata.context": "https://graph.microsoft.com/beta/$metadata#deviceManagement/configurationPolicies(settings())/$entity",
          "createdDateTime": "{{created}}",
          "creationSource": null,
          "description": "Baseline for pilot devices",
          "lastModifiedDateTime": "2025-06-11T16:40:03.55Z",
          "name": "SC - Defender - Pilot 0007",
          "platforms": "windows10",
          "priorityMetaData": null,
          "roleScopeTagIds": ["0", "3"],
          "settingCount": 5,
          "technologies": "mdm,microsoftSense",
          "id": "{{id}}",
          "templateReference": {
            "templateId": "",
            "templateFamily": "none",
            "templateDisplayName": null,
            "templateDisplayVersion": null
          },
          "isAssigned": true,
          "settings@odata.context": "https://graph.microsoft.com/beta/$metadata#deviceManagement/configurationPolicies('{{id}}')/settings",
          "settings": [
            {
              "id": "0",
              "settingInstance": {
                "@odata.type": "#microsoft.graph.deviceManagementConfigurationChoiceSettingInstance",
                "settingDefinitionId": "{{RealTimeMonitoring}}",
                "settingInstanceTemplateReference": null,
                "choiceSettingValue": {
                  "settingValueTemplateReference": null,
                  "value": "{{RealTimeMonitoring}}{{realTimeMonitoring}}",
                  "children": []
                }
              }
            },
            {
              "id": "1",
              "settingInstance": {
                "@odata.type": "#microsoft.graph.deviceManagementConfigurationChoiceSettingInstance",
                "settingDefinitionId": "{{CloudProtection}}",
                "settingInstanceTemplateReference": null,
                "choiceSettingValue": {
                  "settingValueTemplateReference": null,
                  "value": "{{CloudProtection}}_1",
                  "children": []
                }
              }
            },
            {
              "id": "2",
              "settingInstance": {
                "@odata.type": "#microsoft.graph.deviceManagementConfigurationSimpleSettingInstance",
                "settingDefinitionId": "{{ActiveHoursStart}}",
                "settingInstanceTemplateReference": null,
                "simpleSettingValue": {
                  "@odata.type": "#microsoft.graph.deviceManagementConfigurationIntegerSettingValue",
                  "settingValueTemplateReference": null,
                  "value": {{activeHoursStart}}
                }
              }
            },
            {
              "id": "3",
              "settingInstance": {
                "@odata.type": "#microsoft.graph.deviceManagementConfigurationChoiceSettingInstance",
                "settingDefinitionId": "{{StartupAuthentication}}",
                "settingInstanceTemplateReference": null,
                "choiceSettingValue": {
                  "settingValueTemplateReference": null,
                  "value": "{{StartupAuthentication}}_1",
                  "children": [
                    {
                      "@odata.type": "#microsoft.graph.deviceManagementConfigurationChoiceSettingInstance",
                      "settingDefinitionId": "{{StartupAuthentication}}_configuretpmstartuppinusagedropdown_name",
                      "settingInstanceTemplateReference": null,
                      "choiceSettingValue": {
                        "settingValueTemplateReference": null,
                        "value": "{{StartupAuthentication}}_configuretpmstartuppinusagedropdown_name{{pinUsage}}",
                        "children": []
                      }
                    },
                    {
                      "@odata.type": "#microsoft.graph.deviceManagementConfigurationChoiceSettingInstance",
                      "settingDefinitionId": "{{StartupAuthentication}}_configurenontpmstartupkeyusage_name",
                      "settingInstanceTemplateReference": null,
                      "choiceSettingValue": {
                        "settingValueTemplateReference": null,
                        "value": "{{StartupAuthentication}}_configurenontpmstartupkeyusage_name_2",
                        "children": []
                      }
                    }
                  ]
                }
              }
            },
            {
              "id": "4",
              "settingInstance": {
                "@odata.type": "#microsoft.graph.deviceManagementConfigurationGroupSettingCollectionInstance",
                "settingDefinitionId": "{{FirewallRules}}",
                "settingInstanceTemplateReference": null,
                "groupSettingCollectionValue": [
                  {
                    "settingValueTemplateReference": null,
                    "children": [
                      {
                        "@odata.type": "#microsoft.graph.deviceManagementConfigurationSimpleSettingInstance",
                        "settingDefinitionId": "{{FirewallRules}}_name",
                        "settingInstanceTemplateReference": null,
                        "simpleSettingValue": {
                          "@odata.type": "#microsoft.graph.deviceManagementConfigurationStringSettingValue",
                          "settingValueTemplateReference": null,
                          "value": "Block outbound SMB"
                        }
                      },
                      {
                        "@odata.type": "#microsoft.graph.deviceManagementConfigurationChoiceSettingInstance",
                        "settingDefinitionId": "{{FirewallRules}}_direction",
                        "settingInstanceTemplateReference": null,
                        "choiceSettingValue": {
                          "settingValueTemplateReference": null,
                          "value": "{{FirewallRules}}_direction{{ruleDirection}}",
                          "children": []
                        }
                      }
                    ]
                  }
                ]
              }
            }
          ]
        }
        """);
        if (reverseSettings)
        {
            var settings = policy["settings"]!.AsArray();
            var reversed = settings.Reverse().Select(s => s!.DeepClone()).ToList();
            policy["settings"] = new JsonArray([.. reversed]);
        }

        return policy;
    }

    /// <summary>An administrative template as a backup stores it: definition values with their definition and presentation values.</summary>
    public static JsonObject AdministrativeTemplate(
        int installTime = 3,
        bool cortanaEnabled = false,
        string valueIdSuffix = "a",
        bool reverse = false)
    {
        var policy = Parse($$"""
        {
          "createdDateTime": "2024-11-04T10:00:00Z",
          "displayName": "ADMX - Windows Update - Broad 0002",
          "description": "",
          "roleScopeTagIds": ["0"],
          "policyConfigurationIngestionType": "builtIn",
          "id": "5d0b7a61-3c2e-4f8a-9b1d-6e4c2a8f0d15",
          "lastModifiedDateTime": "2025-01-20T08:30:00Z",
          "definitionValues": [
            {
              "createdDateTime": "2024-11-04T10:00:00Z",
              "enabled": true,
              "configurationType": "policy",
              "id": "11111111-0000-0000-0000-00000000000{{valueIdSuffix}}",
              "lastModifiedDateTime": "2024-11-04T10:00:00Z",
              "definition": {
                "id": "7d3a1c55-8a3e-4c1f-b2a9-0e5f6d4c3b21",
                "classType": "machine",
                "displayName": "Configure Automatic Updates",
                "categoryPath": "\\Windows Components\\Windows Update\\Manage end user experience",
                "version": "1.0",
                "lastModifiedDateTime": "2024-02-20T18:23:41.3395617Z"
              },
              "presentationValues": [
                {
                  "@odata.type": "#microsoft.graph.groupPolicyPresentationValueText",
                  "id": "22222222-0000-0000-0000-00000000000{{valueIdSuffix}}",
                  "createdDateTime": "2024-11-04T10:00:00Z",
                  "lastModifiedDateTime": "2024-11-04T10:00:00Z",
                  "value": "4",
                  "presentation": {
                    "@odata.type": "#microsoft.graph.groupPolicyPresentationDropdownList",
                    "id": "a1c0e7f2-5b44-4d0e-9c3a-2f1b8d7e6c50",
                    "label": "Configure automatic updating:",
                    "lastModifiedDateTime": "2024-02-20T18:23:41.3395617Z"
                  }
                },
                {
                  "@odata.type": "#microsoft.graph.groupPolicyPresentationValueDecimal",
                  "id": "33333333-0000-0000-0000-00000000000{{valueIdSuffix}}",
                  "createdDateTime": "2024-11-04T10:00:00Z",
                  "lastModifiedDateTime": "2024-11-04T10:00:00Z",
                  "value": {{installTime}},
                  "presentation": {
                    "@odata.type": "#microsoft.graph.groupPolicyPresentationDecimalTextBox",
                    "id": "b2d1f8a3-6c55-4e1f-8d4b-3a2c9e8f7d61",
                    "label": "Scheduled install time",
                    "lastModifiedDateTime": "2024-02-20T18:23:41.3395617Z"
                  }
                }
              ]
            },
            {
              "createdDateTime": "2024-11-04T10:00:00Z",
              "enabled": {{(cortanaEnabled ? "true" : "false")}},
              "configurationType": "policy",
              "id": "44444444-0000-0000-0000-00000000000{{valueIdSuffix}}",
              "lastModifiedDateTime": "2024-11-04T10:00:00Z",
              "definition": {
                "id": "c4e2b9d7-1f3a-4a6c-8e5d-9b0a7c6f5e42",
                "classType": "machine",
                "displayName": "Allow Cortana",
                "categoryPath": "\\Windows Components\\Search",
                "version": "1.0"
              },
              "presentationValues": []
            }
          ]
        }
        """);
        if (reverse)
        {
            var values = policy["definitionValues"]!.AsArray();
            policy["definitionValues"] = new JsonArray([.. values.Reverse().Select(v => v!.DeepClone())]);
            foreach (var value in policy["definitionValues"]!.AsArray().OfType<JsonObject>())
            {
                var presentations = value["presentationValues"]!.AsArray();
                value["presentationValues"] = new JsonArray([.. presentations.Reverse().Select(p => p!.DeepClone())]);
            }
        }

        return policy;
    }

    /// <summary>A Windows compliance policy with its scheduled actions (GET with $expand=scheduledActionsForRule(…)).</summary>
    public static JsonObject CompliancePolicy(
        int retireGraceHours = 72,
        string ruleId = "e1f2a3b4-0000-0000-0000-000000000001",
        bool reverseActions = false,
        string[]? ccList = null)
    {
        var cc = new JsonArray([.. (ccList ?? ["6a1f8c2e-4b3d-4e5f-9a0b-1c2d3e4f5a6b", "7b2a9d3f-5c4e-4f6a-8b1c-2d3e4f5a6b7c"]).Select(c => (JsonNode?)c)]);
        var policy = Parse($$"""
        {
          "@odata.type": "#microsoft.graph.windows10CompliancePolicy",
          "id": "3c9a2e71-5d4b-4f8e-a1c0-7b6d5e4f3a29",
          "createdDateTime": "2024-09-01T12:00:00Z",
          "description": "Corporate Windows devices",
          "lastModifiedDateTime": "2025-02-14T07:45:10Z",
          "displayName": "WIN - Compliance - Broad 0001",
          "version": 4,
          "roleScopeTagIds": ["0"],
          "passwordRequired": true,
          "passwordMinimumLength": 12,
          "passwordRequiredType": "alphanumeric",
          "osMinimumVersion": "10.0.19045",
          "bitLockerEnabled": true,
          "storageRequireEncryption": true,
          "scheduledActionsForRule": [
            {
              "id": "{{ruleId}}",
              "ruleName": "PasswordRequired",
              "scheduledActionConfigurations": [
                {
                  "id": "{{ruleId}}-block",
                  "gracePeriodHours": 0,
                  "actionType": "block",
                  "notificationTemplateId": "00000000-0000-0000-0000-000000000000",
                  "notificationMessageCCList": []
                },
                {
                  "id": "{{ruleId}}-notify",
                  "gracePeriodHours": 24,
                  "actionType": "notification",
                  "notificationTemplateId": "8f3e2d1c-0b9a-4c8d-9e7f-6a5b4c3d2e1f",
                  "notificationMessageCCList": []
                },
                {
                  "id": "{{ruleId}}-retire",
                  "gracePeriodHours": {{retireGraceHours}},
                  "actionType": "retire",
                  "notificationTemplateId": "00000000-0000-0000-0000-000000000000",
                  "notificationMessageCCList": []
                }
              ]
            }
          ]
        }
        """);
        var configurations = policy["scheduledActionsForRule"]![0]!["scheduledActionConfigurations"]!.AsArray();
        configurations[1]!["notificationMessageCCList"] = cc;
        if (reverseActions)
        {
            policy["scheduledActionsForRule"]![0]!["scheduledActionConfigurations"] = new JsonArray([.. configurations.Reverse().Select(c => c!.DeepClone())]);
        }

        return policy;
    }

    /// <summary>A custom (OMA-URI) profile.</summary>
    public static JsonObject CustomProfile(int downloadMode = 1, bool reverse = false)
    {
        var profile = Parse($$"""
        {
          "@odata.type": "#microsoft.graph.windows10CustomConfiguration",
          "id": "0a9b8c7d-6e5f-4a3b-2c1d-0e9f8a7b6c5d",
          "lastModifiedDateTime": "2025-04-01T00:00:00Z",
          "roleScopeTagIds": ["0"],
          "supportsScopeTags": true,
          "createdDateTime": "2024-12-24T00:00:00Z",
          "description": "",
          "displayName": "WIN - Delivery Optimization - Pilot 0003",
          "version": 2,
          "omaSettings": [
            {
              "@odata.type": "#microsoft.graph.omaSettingInteger",
              "displayName": "DODownloadMode",
              "description": null,
              "omaUri": "./Device/Vendor/MSFT/Policy/Config/DeliveryOptimization/DODownloadMode",
              "isEncrypted": false,
              "value": {{downloadMode}},
              "isReadOnly": false
            },
            {
              "@odata.type": "#microsoft.graph.omaSettingString",
              "displayName": "LockScreenImage",
              "description": "Corporate lock screen",
              "omaUri": "./Vendor/MSFT/Personalization/LockScreenImageUrl",
              "isEncrypted": false,
              "value": "https://cdn.contoso.com/lockscreen.jpg"
            }
          ]
        }
        """);
        if (reverse)
        {
            profile["omaSettings"] = new JsonArray([.. profile["omaSettings"]!.AsArray().Reverse().Select(s => s!.DeepClone())]);
        }

        return profile;
    }

    public const string GroupA = "0d1e2f3a-4b5c-4d6e-8f7a-9b0c1d2e3f4a";
    public const string GroupB = "1e2f3a4b-5c6d-4e7f-9a8b-0c1d2e3f4a5b";
    public const string GroupC = "2f3a4b5c-6d7e-4f8a-8b9c-1d2e3f4a5b6c";
    public const string FilterF = "3a4b5c6d-7e8f-4a9b-9c0d-2e3f4a5b6c7d";

    /// <summary>One assignment in Graph's shape; the id follows Intune's "{policyId}_{groupId}" convention.</summary>
    public static JsonObject Assignment(string targetType, string? groupId = null, string? filterId = null, string filterType = "none", string? intent = "apply", string policyId = "9f4e3c2a")
    {
        var target = new JsonObject
        {
            ["@odata.type"] = "#microsoft.graph." + targetType,
            ["deviceAndAppManagementAssignmentFilterId"] = filterId,
            ["deviceAndAppManagementAssignmentFilterType"] = filterType,
        };
        if (groupId is not null)
        {
            target["groupId"] = groupId;
        }

        var assignment = new JsonObject
        {
            ["id"] = $"{policyId}_{groupId ?? targetType}",
            ["source"] = "direct",
            ["sourceId"] = policyId,
        };
        if (intent is not null)
        {
            assignment["intent"] = intent;
        }

        assignment["target"] = target;
        return assignment;
    }
}
