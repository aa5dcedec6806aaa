using System.Text.Json;
using System.Text.Json.Nodes;
using TenantAtlas.Backup.Sets;

namespace TenantAtlas.Backup.Compare;

/// <summary>
/// Hides a policy's secrets before it is compared, so a diff can never show them: each value the backup protected (a
/// JSON Pointer in <c>protected_values</c>) and the <c>value</c> of every object marked <c>isEncrypted: true</c> (Intune's
/// encrypted blob of an OMA-URI setting) read "protected" on both sides. A changed secret therefore never shows as a
/// change: its clear text is only ever unprotected by the Graph module, to write it back.
/// </summary>
internal static class ProtectedValues
{
    public static void Mask(JsonObject content, string protectedValues)
    {
        ArgumentNullException.ThrowIfNull(content);
        foreach (var path in Paths(protectedValues))
        {
            Replace(content, path);
        }

        MaskEncrypted(content);
    }

    private static IEnumerable<string> Paths(string protectedValues)
    {
        JsonNode? list;
        try
        {
            list = JsonNode.Parse(protectedValues);
        }
        catch (JsonException)
        {
            yield break;
        }

        foreach (var entry in (list as JsonArray ?? []).OfType<JsonObject>())
        {
            if (entry["path"] is JsonValue value && value.GetValueKind() == JsonValueKind.String)
            {
                yield return value.GetValue<string>();
            }
        }
    }

    /// <summary>Replaces the value a JSON Pointer names; a pointer that names nothing changes nothing.</summary>
    private static void Replace(JsonNode root, string pointer)
    {
        if (!pointer.StartsWith('/'))
        {
            return;
        }

        var segments = pointer[1..].Split('/').Select(s => s.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal)).ToArray();
        var node = root;
        for (var i = 0; i < segments.Length; i++)
        {
            var last = i == segments.Length - 1;
            switch (node)
            {
                case JsonObject obj when obj.ContainsKey(segments[i]):
                    if (last)
                    {
                        obj[segments[i]] = BackupSetQueries.ProtectedText;
                        return;
                    }

                    node = obj[segments[i]];
                    break;
                case JsonArray array when int.TryParse(segments[i], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var index) && index < array.Count:
                    if (last)
                    {
                        array[index] = BackupSetQueries.ProtectedText;
                        return;
                    }

                    node = array[index];
                    break;
                default:
                    return;
            }
        }
    }

    private static void MaskEncrypted(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                if (obj["isEncrypted"] is JsonValue flag && flag.GetValueKind() == JsonValueKind.True && obj.ContainsKey("value"))
                {
                    obj["value"] = BackupSetQueries.ProtectedText;
                }

                foreach (var child in obj.Select(p => p.Value).ToList())
                {
                    MaskEncrypted(child);
                }

                break;
            case JsonArray array:
                foreach (var child in array)
                {
                    MaskEncrypted(child);
                }

                break;
        }
    }
}
