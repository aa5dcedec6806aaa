using System.Text.Json.Nodes;

namespace TenantAtlas.GraphEmulator.Seeding;

internal static class Json
{
    public static JsonArray Strings(IEnumerable<string> values) => new([.. values.Select(v => (JsonNode?)JsonValue.Create(v))]);

    public static JsonArray Array(IEnumerable<JsonNode?> values) => new([.. values]);

    public static JsonArray Empty() => [];
}
