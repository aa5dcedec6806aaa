#!/usr/bin/env python3
"""Derives the emulator's schema (src/TenantAtlas.GraphEmulator/Shapes/graph-schema.json) from extracted fixtures.

Usage: make_schema.py <fixtures-dir>

<fixtures-dir> is a directory written by extract.py. The schema keeps only what a type is made of: for each type the
property names, in the order Graph serializes them, and the kind of each value, plus our own lists of required and
read-only properties. No example value or text is kept: the kind is inferred from the example value and the value is
then dropped. Kinds:

  string, boolean, int32, double, dateTimeOffset, date, timeOfDay, duration, binary (base64),
  enum (a lower-camel member name), any (the example shows null or an empty list, so the kind is not known),
  <typeName> (an object of that complex type, itself described in the schema), <kind>[] (a collection of <kind>),
  <kind>? (the example shows null: the value may be null).

Complex types met in several examples get the union of their properties.
"""
import base64
import binascii
import json
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
REPO_ROOT = os.path.abspath(os.path.join(HERE, "..", "..", ".."))
SCHEMA = os.path.join(REPO_ROOT, "src", "TenantAtlas.GraphEmulator", "Shapes", "graph-schema.json")
PREFIX = "microsoft.graph."

# Ours: properties the service sets; a write may carry them and they are ignored (GRAPH.md, "Writes and restore").
READ_ONLY = [
    "id", "createdDateTime", "lastModifiedDateTime", "modifiedDateTime", "version", "renewedDateTime", "deletedDateTime",
    "securityIdentifier", "supportsScopeTags", "settingCount", "creationSource", "isAssigned", "isBuiltIn",
    "isBuiltInRoleDefinition", "deployedAppCount",
    # Update profiles: what Intune derives from the chosen release and reports about the devices (A's families).
    "endOfSupportDate", "deployableContentDisplayName", "releaseDateDisplayName", "deviceReporting", "newUpdates",
    "inventorySyncStatus",
    # Enrollment configurations: the order Intune applies them in, set only through setPriority (E's family).
    "priority",
    # Branding profiles: the tenant's default profile is Intune's; a created profile is never the default (H's family).
    "isDefaultProfile",
    # Reusable settings: how many settings catalog policies use one (G's family).
    "referencingConfigurationPolicyCount",
    # Policy sets and their items: Intune's validation of the set (I's family).
    "status", "errorCode",
]

# Ours: what a create must name (the settings catalog calls it "name").
REQUIRED = ["displayName", "name"]

DATE_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
TIME = re.compile(r"^\d{2}:\d{2}:\d{2}(\.\d+)?$")
DURATION = re.compile(r"^-?P(\d+D)?(T(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$")
ENUM = re.compile(r"^[a-z][A-Za-z0-9]*$")


def type_name(value):
    return value.lstrip("#")[len(PREFIX):] if value.lstrip("#").startswith(PREFIX) else value.lstrip("#")


class Schema:
    def __init__(self):
        self.types = {}

    def describe(self, obj, name, generated):
        """Records the type of obj (and the complex types inside it); returns the type's name."""
        props = self.types.setdefault(name, {})
        for prop, value in obj.items():
            if prop.startswith("@"):
                continue  # annotations (@odata.type, and @odata.context in the v1.0 examples) are not properties
            kind = self.kind(prop, value, generated)
            current = props.get(prop)
            if current is None or current.startswith("any"):
                props[prop] = kind
        return name

    def kind(self, prop, value, generated):
        if value is None:
            return "any?"
        if isinstance(value, bool):
            return "boolean"
        if isinstance(value, int):
            return "int32"
        if isinstance(value, float):
            return "double"
        if isinstance(value, list):
            return (self.kind(prop, value[0], generated) if value else "any") + "[]"
        if isinstance(value, dict):
            nested = value.get("@odata.type")
            if nested is None:
                return "any"
            return self.describe(value, type_name(nested), generated)
        return string_kind(prop, value, generated)


def string_kind(prop, value, generated):
    if DATE_TIME.match(value):
        return "dateTimeOffset"
    if DATE.match(value):
        return "date"
    if TIME.match(value):
        return "timeOfDay"
    if DURATION.match(value) and value not in ("P", "-P"):
        return "duration"
    try:
        if base64.b64decode(value, validate=True).decode("utf-8") == prop:
            return "binary"
    except (binascii.Error, UnicodeDecodeError, ValueError):
        pass
    # Only the generated Intune pages show an enum member as the value; elsewhere (groups) a word is just text.
    if generated and ENUM.match(value) and not value.startswith("microsoft"):
        return "enum"
    return "string"


def fixtures(root, kind):
    for folder, _, files in sorted(os.walk(root)):
        for file in sorted(files):
            if file.endswith(f".{kind}.json"):
                yield os.path.relpath(os.path.join(folder, file), root).replace(os.sep, "/")


def main():
    if len(sys.argv) < 2:
        raise SystemExit(__doc__)
    root = sys.argv[1]
    schema = Schema()
    entities = []
    for kind in ("get", "create"):
        for fixture in fixtures(root, kind):
            version, _, file = fixture.split("/")
            with open(os.path.join(root, fixture), encoding="utf-8") as f:
                body = json.load(f)
            name = type_name(body.get("@odata.type") or PREFIX + file.split(".")[0])
            schema.describe(body, name, generated=version == "beta")
            if kind == "get":
                entities.append(name)
    types = {}
    for name in sorted(schema.types):
        props = schema.types[name]
        entry = {"properties": props}
        if name in entities:
            entry["required"] = [p for p in REQUIRED if p in props][:1]
            entry["readOnly"] = [p for p in READ_ONLY if p in props]
        types[name] = entry
    with open(SCHEMA, "w", encoding="utf-8", newline="\n") as out:
        out.write("{\n")
        out.write('  "about": "The emulator\'s description of the Graph types it serves: property names and value kinds only (make_schema.py).",\n')
        out.write('  "types": {\n')
        for i, (name, entry) in enumerate(types.items()):
            out.write(f'    {json.dumps(name)}: {{\n')
            parts = []
            if "required" in entry:
                parts.append(f'      "required": {json.dumps(entry["required"])}')
                parts.append(f'      "readOnly": {json.dumps(entry["readOnly"])}')
            props = ",\n".join(f"        {json.dumps(p)}: {json.dumps(k)}" for p, k in entry["properties"].items())
            parts.append('      "properties": {\n' + props + "\n      }")
            out.write(",\n".join(parts) + "\n")
            out.write("    }" + ("," if i < len(types) - 1 else "") + "\n")
        out.write("  }\n}\n")
    print(f"{len(types)} types ({len(entities)} served) written to {SCHEMA}")


if __name__ == "__main__":
    main()
