#!/usr/bin/env python3
"""Extracts the Graph fidelity fixtures from Microsoft's API reference pages into a directory of your choice.

Usage: extract.py <docs-git-dir> <out-dir> [commit] [repository-name] [--docs <repository>=<git-dir>]...

<docs-git-dir> is a clone (or a bare mirror) of microsoftgraph/microsoft-graph-docs or its successor
microsoftgraph/microsoft-graph-docs-contrib; both keep the pages under api-reference/<version>/api/.
<out-dir> receives <version>/<family>/<type>.get.json|.create.json and a SOURCES.md. The fixtures are Microsoft's
text and are never committed to this repository: extract them into the git-ignored
tests/TenantAtlas.GraphEmulator.Tests/Fixtures/extracted/, or into the directory the fidelity tests are pointed at
(TENANTATLAS_GRAPH_FIXTURES, or shared/graph-fixtures/ beside the repository).

Every fixture is the JSON of one example block, taken verbatim from the page: for "get" the body of the first example
response ("HTTP/1.1 200 OK"), for "create" the body of the first example request that POSTs. The generated Intune
pages show an item GET answer wrapped as {"value": {...}}; the fixture is the inner object. Nested "@odata.type"
values lack the leading '#' that the service sends; the fixture keeps them as shown (the tests ignore the '#').

The repository's own index, tests/TenantAtlas.GraphEmulator.Tests/Fixtures/SOURCES.md (fixture name -> page, docs
commit), is rewritten too: it is what the fidelity tests enumerate. The emulator's schema is derived from the
extracted fixtures by make_schema.py.
"""
import json
import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
INDEX = os.path.join(HERE, "SOURCES.md")

# Pages newer than the docs commit of the rest: taken from the successor repository at this commit. extract.py writes
# them only when given that repository's git dir (--docs <repository>=<git-dir>); their index rows are written either
# way, so the fidelity tests name the missing file instead of forgetting the family.
CONTRIB = {"repository": "microsoftgraph/microsoft-graph-docs-contrib", "commit": "1a114e7780a4e6b36d65872be85d46a59ae2452e"}

MANIFEST = [
    ("beta", "deviceConfigurations", "windows10GeneralConfiguration", "intune-deviceconfig-windows10generalconfiguration", ["get", "create"]),
    ("beta", "deviceConfigurations", "windows10CustomConfiguration", "intune-deviceconfig-windows10customconfiguration", ["get", "create"]),
    ("beta", "deviceConfigurations", "windows10EndpointProtectionConfiguration", "intune-deviceconfig-windows10endpointprotectionconfiguration", ["get", "create"]),
    ("beta", "deviceConfigurations", "windowsUpdateForBusinessConfiguration", "intune-deviceconfig-windowsupdateforbusinessconfiguration", ["get", "create"]),
    ("beta", "deviceConfigurations", "iosGeneralDeviceConfiguration", "intune-deviceconfig-iosgeneraldeviceconfiguration", ["get", "create"]),
    ("beta", "deviceConfigurations", "androidWorkProfileGeneralDeviceConfiguration", "intune-deviceconfig-androidworkprofilegeneraldeviceconfiguration", ["get", "create"]),
    ("beta", "deviceConfigurations", "macOSGeneralDeviceConfiguration", "intune-deviceconfig-macosgeneraldeviceconfiguration", ["get", "create"]),
    ("beta", "deviceCompliancePolicies", "windows10CompliancePolicy", "intune-deviceconfig-windows10compliancepolicy", ["get", "create"]),
    ("beta", "deviceCompliancePolicies", "iosCompliancePolicy", "intune-deviceconfig-ioscompliancepolicy", ["get", "create"]),
    ("beta", "deviceCompliancePolicies", "androidWorkProfileCompliancePolicy", "intune-deviceconfig-androidworkprofilecompliancepolicy", ["get", "create"]),
    ("beta", "deviceCompliancePolicies", "macOSCompliancePolicy", "intune-deviceconfig-macoscompliancepolicy", ["get", "create"]),
    ("beta", "deviceCompliancePolicies", "deviceComplianceScheduledActionForRule", "intune-deviceconfig-devicecompliancescheduledactionforrule", ["get", "create"]),
    ("beta", "deviceCompliancePolicies", "deviceComplianceActionItem", "intune-deviceconfig-devicecomplianceactionitem", ["get", "create"]),
    ("beta", "configurationPolicies", "deviceManagementConfigurationPolicy", "intune-deviceconfigv2-devicemanagementconfigurationpolicy", ["get", "create"]),
    ("beta", "configurationPolicies", "deviceManagementConfigurationSetting", "intune-deviceconfigv2-devicemanagementconfigurationsetting", ["get", "create"]),
    ("beta", "groupPolicyConfigurations", "groupPolicyConfiguration", "intune-grouppolicy-grouppolicyconfiguration", ["get", "create"]),
    ("beta", "groupPolicyConfigurations", "groupPolicyDefinitionValue", "intune-grouppolicy-grouppolicydefinitionvalue", ["get", "create"]),
    ("beta", "groupPolicyConfigurations", "groupPolicyPresentationValueText", "intune-grouppolicy-grouppolicypresentationvaluetext", ["get", "create"]),
    ("beta", "groupPolicyConfigurations", "groupPolicyDefinition", "intune-grouppolicy-grouppolicydefinition", ["get"]),
    ("beta", "deviceManagementScripts", "deviceManagementScript", "intune-shared-devicemanagementscript", ["get", "create"]),
    ("beta", "deviceHealthScripts", "deviceHealthScript", "intune-devices-devicehealthscript", ["get", "create"]),
    ("beta", "deviceShellScripts", "deviceShellScript", "intune-devices-deviceshellscript", ["get", "create"]),
    ("beta", "deviceCustomAttributeShellScripts", "deviceCustomAttributeShellScript", "intune-devices-devicecustomattributeshellscript", ["get", "create"]),
    ("beta", "deviceComplianceScripts", "deviceComplianceScript", "intune-devices-devicecompliancescript", ["get", "create"]),
    ("beta", "windowsFeatureUpdateProfiles", "windowsFeatureUpdateProfile", "intune-softwareupdate-windowsfeatureupdateprofile", ["get", "create"]),
    ("beta", "windowsQualityUpdateProfiles", "windowsQualityUpdateProfile", "intune-softwareupdate-windowsqualityupdateprofile", ["get", "create"]),
    ("beta", "windowsDriverUpdateProfiles", "windowsDriverUpdateProfile", "intune-softwareupdate-windowsdriverupdateprofile", ["get", "create"], CONTRIB),
    ("beta", "compliancePolicies", "deviceManagementCompliancePolicy", "intune-deviceconfigv2-devicemanagementcompliancepolicy", ["get", "create"], CONTRIB),
    ("beta", "compliancePolicies", "deviceManagementComplianceScheduledActionForRule", "intune-deviceconfigv2-devicemanagementcompliancescheduledactionforrule", ["get", "create"], CONTRIB),
    ("beta", "compliancePolicies", "deviceManagementComplianceActionItem", "intune-deviceconfigv2-devicemanagementcomplianceactionitem", ["get", "create"], CONTRIB),
    ("beta", "intents", "deviceManagementIntent", "intune-deviceintent-devicemanagementintent", ["get"]),
    ("beta", "intents", "deviceManagementBooleanSettingInstance", "intune-deviceintent-devicemanagementbooleansettinginstance", ["get"]),
    ("beta", "intents", "deviceManagementIntegerSettingInstance", "intune-deviceintent-devicemanagementintegersettinginstance", ["get"]),
    ("beta", "intents", "deviceManagementStringSettingInstance", "intune-deviceintent-devicemanagementstringsettinginstance", ["get"]),
    ("beta", "intents", "deviceManagementCollectionSettingInstance", "intune-deviceintent-devicemanagementcollectionsettinginstance", ["get"]),
    ("beta", "intents", "deviceManagementComplexSettingInstance", "intune-deviceintent-devicemanagementcomplexsettinginstance", ["get"]),
    ("beta", "templates", "deviceManagementTemplate", "intune-deviceintent-devicemanagementtemplate", ["get"]),
    ("beta", "reusablePolicySettings", "deviceManagementReusablePolicySetting", "intune-deviceconfigv2-devicemanagementreusablepolicysetting", ["get", "create"]),
    ("beta", "deviceEnrollmentConfigurations", "windows10EnrollmentCompletionPageConfiguration", "intune-onboarding-windows10enrollmentcompletionpageconfiguration", ["get", "create"]),
    ("beta", "deviceEnrollmentConfigurations", "deviceEnrollmentLimitConfiguration", "intune-onboarding-deviceenrollmentlimitconfiguration", ["get", "create"]),
    ("beta", "deviceEnrollmentConfigurations", "deviceEnrollmentPlatformRestrictionsConfiguration", "intune-onboarding-deviceenrollmentplatformrestrictionsconfiguration", ["get", "create"]),
    ("beta", "deviceEnrollmentConfigurations", "deviceEnrollmentWindowsHelloForBusinessConfiguration", "intune-onboarding-deviceenrollmentwindowshelloforbusinessconfiguration", ["get", "create"]),
    ("beta", "termsAndConditions", "termsAndConditions", "intune-companyterms-termsandconditions", ["get", "create"]),
    ("beta", "termsAndConditions", "termsAndConditionsAssignment", "intune-companyterms-termsandconditionsassignment", ["get", "create"]),
    ("beta", "notificationMessageTemplates", "notificationMessageTemplate", "intune-notification-notificationmessagetemplate", ["get", "create"]),
    ("beta", "notificationMessageTemplates", "localizedNotificationMessage", "intune-notification-localizednotificationmessage", ["get", "create"]),
    ("beta", "intuneBrandingProfiles", "intuneBrandingProfile", "intune-wip-intunebrandingprofile", ["get", "create"]),
    ("beta", "mobileAppConfigurations", "iosMobileAppConfiguration", "intune-apps-iosmobileappconfiguration", ["get", "create"]),
    ("beta", "mobileAppConfigurations", "androidManagedStoreAppConfiguration", "intune-apps-androidmanagedstoreappconfiguration", ["get", "create"]),
    ("beta", "iosManagedAppProtections", "iosManagedAppProtection", "intune-shared-iosmanagedappprotection", ["get", "create"]),
    ("beta", "androidManagedAppProtections", "androidManagedAppProtection", "intune-shared-androidmanagedappprotection", ["get", "create"]),
    ("beta", "windowsManagedAppProtections", "windowsManagedAppProtection", "intune-mam-windowsmanagedappprotection", ["get", "create"], CONTRIB),
    ("beta", "windowsInformationProtectionPolicies", "windowsInformationProtectionPolicy", "intune-mam-windowsinformationprotectionpolicy", ["get", "create"]),
    ("beta", "windowsInformationProtectionPolicies", "windowsInformationProtectionAppLockerFile", "intune-mam-windowsinformationprotectionapplockerfile", ["get", "create"]),
    ("beta", "mdmWindowsInformationProtectionPolicies", "mdmWindowsInformationProtectionPolicy", "intune-shared-mdmwindowsinformationprotectionpolicy", ["get", "create"]),
    ("beta", "policySets", "policySet", "intune-policyset-policyset", ["get", "create"]),
    ("beta", "policySets", "deviceConfigurationPolicySetItem", "intune-policyset-deviceconfigurationpolicysetitem", ["get", "create"]),
    ("beta", "policySets", "deviceCompliancePolicyPolicySetItem", "intune-policyset-devicecompliancepolicypolicysetitem", ["get", "create"]),
    ("beta", "policySets", "mobileAppPolicySetItem", "intune-policyset-mobileapppolicysetitem", ["get", "create"]),
    ("beta", "policySets", "managedAppProtectionPolicySetItem", "intune-policyset-managedappprotectionpolicysetitem", ["get", "create"]),
    ("beta", "targetedManagedAppConfigurations", "targetedManagedAppConfiguration", "intune-shared-targetedmanagedappconfiguration", ["get", "create"]),
    ("beta", "mobileApps", "win32LobApp", "intune-apps-win32lobapp", ["get", "create"]),
    ("beta", "mobileApps", "iosStoreApp", "intune-apps-iosstoreapp", ["get", "create"]),
    ("beta", "mobileApps", "androidManagedStoreApp", "intune-apps-androidmanagedstoreapp", ["get", "create"]),
    ("beta", "mobileApps", "webApp", "intune-apps-webapp", ["get", "create"]),
    ("beta", "windowsAutopilotDeploymentProfiles", "azureADWindowsAutopilotDeploymentProfile", "intune-enrollment-azureadwindowsautopilotdeploymentprofile", ["get", "create"]),
    ("beta", "windowsAutopilotDeploymentProfiles", "activeDirectoryWindowsAutopilotDeploymentProfile", "intune-enrollment-activedirectorywindowsautopilotdeploymentprofile", ["get", "create"]),
    ("beta", "assignmentFilters", "deviceAndAppManagementAssignmentFilter", "intune-policyset-deviceandappmanagementassignmentfilter", ["get", "create"]),
    ("beta", "roleScopeTags", "roleScopeTag", "intune-rbac-rolescopetag", ["get", "create"]),
    ("beta", "roleDefinitions", "deviceAndAppManagementRoleDefinition", "intune-rbac-deviceandappmanagementroledefinition", ["get", "create"]),
    ("v1.0", "groups", "group", {"get": "group-get.md", "create": "group-post-groups.md"}, ["get", "create"]),
    ("v1.0", "conditionalAccessPolicies", "conditionalAccessPolicy", {"get": "conditionalaccesspolicy-get.md", "create": "conditionalaccessroot-post-policies.md"}, ["get", "create"]),
    ("v1.0", "namedLocations", "ipNamedLocation", {"get": "ipnamedlocation-get.md", "create": "conditionalaccessroot-post-namedlocations.md"}, ["get", "create"]),
    ("v1.0", "namedLocations", "countryNamedLocation", {"get": "countrynamedlocation-get.md"}, ["get"]),
    # Intune's built-in apps (global managed apps), which the mobileApps listing's $filter leaves out unless assigned.
    ("beta", "mobileApps", "managedIOSStoreApp", "intune-apps-managediosstoreapp", ["get", "create"]),
    ("beta", "mobileApps", "managedAndroidStoreApp", "intune-apps-managedandroidstoreapp", ["get", "create"]),
]


def git(docs, *args):
    return subprocess.run(["git", "-C", docs, *args], check=True, capture_output=True, text=True).stdout


def blocks(markdown):
    """Yields the text of every fenced code block."""
    for match in re.finditer(r"^```[^\n]*\n(.*?)^```", markdown, re.S | re.M):
        yield match.group(1)


def body_of(block):
    """The JSON after the blank line that ends the request line and headers, or None when there is none."""
    head, sep, rest = block.partition("\n\n")
    return json.loads(rest) if sep and rest.strip().startswith("{") else None


def example(markdown, kind):
    for block in blocks(markdown):
        first = block.lstrip().split("\n", 1)[0]
        if kind == "get" and re.match(r"HTTP/1\.1 200", first):
            body = body_of(block)
            if isinstance(body, dict) and list(body.keys()) == ["value"] and isinstance(body["value"], dict):
                body = body["value"]
            return body
        if kind == "create" and first.startswith("POST ") and body_of(block) is not None:
            return body_of(block)
    raise SystemExit(f"no {kind} example found")


def write_index(target, origin, commit, rows):
    with open(target, "w", encoding="utf-8", newline="\n") as out:
        out.write("# Where the fixtures come from\n\n")
        out.write("Written by `extract.py`; do not edit by hand. The fixture files themselves are not in this repository\n")
        out.write("(see docs/modules/graph.md, \"The emulator's fidelity\"); the fidelity tests enumerate this list and skip,\n")
        out.write("naming the file, any fixture they cannot find.\n\n")
        out.write(f"Docs repository: {origin}, commit `{commit}` (a page named \"<repository>@<commit>:<path>\" comes from there).\n\n")
        out.write("| fixture | page |\n|---|---|\n")
        for fixture, path in rows:
            out.write(f"| `{fixture}` | `{path}` |\n")


def main():
    others = {}
    args = []
    argv = sys.argv[1:]
    while argv:
        arg = argv.pop(0)
        if arg == "--docs" and argv:
            name, _, path = argv.pop(0).partition("=")
            others[name] = path
        else:
            args.append(arg)
    if len(args) < 2:
        raise SystemExit(__doc__)
    docs, out_dir = args[0], os.path.abspath(args[1])
    commit = args[2] if len(args) > 2 else git(docs, "rev-parse", "HEAD").strip()
    origin = args[3] if len(args) > 3 else "microsoftgraph/microsoft-graph-docs"
    rows = []
    skipped = []
    for version, family, name, stem, kinds, *source in MANIFEST:
        other = source[0] if source else None
        for kind in kinds:
            page = stem[kind] if isinstance(stem, dict) else f"{stem}-{kind}.md"
            path = f"api-reference/{version}/api/{page}"
            fixture = f"{version}/{family}/{name}.{kind}.json"
            if other is None:
                rows.append((fixture, path))
                markdown = git(docs, "show", f"{commit}:{path}")
            else:
                rows.append((fixture, f"{other['repository']}@{other['commit']}:{path}"))
                if other["repository"] not in others:
                    skipped.append(fixture)
                    continue
                markdown = git(others[other["repository"]], "show", f"{other['commit']}:{path}")
            body = example(markdown, kind)
            target = os.path.join(out_dir, version, family, f"{name}.{kind}.json")
            os.makedirs(os.path.dirname(target), exist_ok=True)
            with open(target, "w", encoding="utf-8", newline="\n") as out:
                json.dump(body, out, indent=2, ensure_ascii=False)
                out.write("\n")
    write_index(os.path.join(out_dir, "SOURCES.md"), origin, commit, rows)
    write_index(INDEX, origin, commit, rows)
    print(f"{len(rows) - len(skipped)} fixtures written to {out_dir}")
    if skipped:
        print(f"not written (pass --docs <repository>=<git-dir> for their repository): {', '.join(skipped)}")


if __name__ == "__main__":
    main()
