namespace TenantAtlas.GraphEmulator.Shapes;

/// <summary>
/// The members a seeded enum property takes, written for the emulator: the schema says only that a property is an
/// enum. Properties the product or a demo looks at get their real members; any other enum starts at
/// "notConfigured", the member most Intune setting enums begin with. Members are not checked on writes.
/// </summary>
internal static class EnumMembers
{
    private static readonly string[] NotConfigured = ["notConfigured"];

    private static readonly Dictionary<string, string[]> ByProperty = new(StringComparer.Ordinal)
    {
        ["passwordRequiredType"] = ["deviceDefault", "alphanumeric", "numeric"],
        ["passcodeRequiredType"] = ["deviceDefault", "alphanumeric", "numeric"],
        ["workProfilePasswordRequiredType"] = ["deviceDefault", "numeric", "alphanumeric"],
        ["deviceThreatProtectionRequiredSecurityLevel"] = ["unavailable", "secured", "low", "medium", "high"],
        ["advancedThreatProtectionRequiredSecurityLevel"] = ["unavailable", "secured", "low", "medium", "high"],
        ["runAsAccount"] = ["system", "user"],
        ["actionType"] = ["block", "notification", "retire"],
        ["platforms"] = ["windows10", "macOS", "iOS"],
        ["technologies"] = ["mdm"],
        ["platform"] = ["windows10AndLater", "iOS", "androidForWork"],
        ["ruleType"] = ["include", "exclude"],
        ["deviceType"] = ["windowsPc"],
        ["appConfigKeyType"] = ["stringType", "integerType", "booleanType"],
        ["targetedAppManagementLevels"] = ["unspecified"],
        ["appDataEncryptionType"] = ["whenDeviceLocked", "afterDeviceRestart"],
        ["pinCharacterSet"] = ["numeric", "alphanumericAndSymbol"],
        ["allowedDataStorageLocations"] = ["oneDriveForBusiness", "sharePoint"],
        ["allowedInboundDataTransferSources"] = ["allApps", "managedApps", "none"],
        ["allowedOutboundDataTransferDestinations"] = ["allApps", "managedApps", "none"],
        ["allowedOutboundClipboardSharingLevel"] = ["allApps", "managedAppsWithPasteIn", "managedApps", "blocked"],
        ["notificationRestriction"] = ["allow", "blockOrganizationalData", "block"],
        ["automaticUpdateMode"] = ["userDefined", "notifyDownload", "autoInstallAtMaintenanceTime"],
        ["businessReadyUpdatesOnly"] = ["userDefined", "all", "businessReadyOnly"],
        ["deliveryOptimizationMode"] = ["userDefined", "httpOnly", "httpWithPeeringNat"],
        ["recurrence"] = ["daily", "weekly"],
        ["policyType"] = ["admxBacked", "admxIngested"],
        ["classType"] = ["user", "machine"],
    };

    public static IReadOnlyList<string> For(string property) => ByProperty.GetValueOrDefault(property) ?? NotConfigured;
}
