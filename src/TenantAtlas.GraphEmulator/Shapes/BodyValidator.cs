using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using TenantAtlas.GraphEmulator.Graph;

namespace TenantAtlas.GraphEmulator.Shapes;

/// <summary>
/// Checks a write body against a type's schema the way Graph's OData reader does: a property the type does not
/// declare, or a value of the wrong kind, answers 400 BadRequest before anything is stored. Nested objects are checked
/// against their complex type's schema (the one the property declares, or the one their @odata.type names when the
/// emulator describes it); a derived complex type the emulator does not describe (another omaSetting kind, say) is only
/// checked to be an object.
/// </summary>
internal static class BodyValidator
{
    private static readonly IReadOnlySet<string> NoNavigations = new HashSet<string>(StringComparer.Ordinal);

    public static void Validate(JsonObject body, TypeSchema schema, IReadOnlySet<string> navigations, ErrorSource source)
    {
        foreach (var (name, value) in body)
        {
            if (name.Contains('@', StringComparison.Ordinal) || navigations.Contains(name))
            {
                continue;
            }

            var property = schema.Property(name) ?? throw GraphException.BadRequest(
                $"The property '{name}' does not exist on type '{schema.Name}'. Make sure to only use property names that are defined by the type or mark the type as open type.",
                source);
            CheckKind(name, value, property.Kind, source);
        }
    }

    private static void CheckKind(string name, JsonNode? value, PropertyKind kind, ErrorSource source)
    {
        if (value is null || kind.Base == PropertyKind.Any && !kind.IsCollection)
        {
            // Null is accepted for every property the emulator models; Graph refuses null only on a few non-nullable ones.
            return;
        }

        if (kind.IsCollection)
        {
            if (value is not JsonArray items)
            {
                throw Mismatch(name, value, "StartArray", source);
            }

            foreach (var item in items)
            {
                CheckKind(name, item, kind with { IsCollection = false }, source);
            }

            return;
        }

        if (kind.IsObject)
        {
            if (value is not JsonObject sent)
            {
                throw Mismatch(name, value, "StartObject", source);
            }

            var sentType = sent["@odata.type"]?.GetValue<string>();
            if (GraphSchema.Find(sentType is null ? GraphSchema.Prefix + kind.Base : sentType) is { } nested)
            {
                Validate(sent, nested, NoNavigations, source);
            }

            return;
        }

        if (value is not JsonValue primitive)
        {
            throw Mismatch(name, value, "PrimitiveValue", source);
        }

        var got = primitive.GetValueKind();
        var ok = kind.Base switch
        {
            PropertyKind.Boolean => got is JsonValueKind.True or JsonValueKind.False,
            PropertyKind.Int32 => got == JsonValueKind.Number && primitive.TryGetValue<int>(out _),
            PropertyKind.Double => got == JsonValueKind.Number,
            PropertyKind.DateTimeOffset => got == JsonValueKind.String
                && DateTimeOffset.TryParse(primitive.GetValue<string>(), CultureInfo.InvariantCulture, DateTimeStyles.None, out _),
            PropertyKind.Binary => got == JsonValueKind.String && IsBase64(primitive.GetValue<string>()),
            _ => got == JsonValueKind.String,
        };
        if (!ok)
        {
            throw Mismatch(name, value, EdmName(kind), source);
        }
    }

    private static bool IsBase64(string text)
    {
        Span<byte> buffer = new byte[text.Length];
        return Convert.TryFromBase64String(text, buffer, out _);
    }

    private static string EdmName(PropertyKind kind) => kind.Base switch
    {
        PropertyKind.Boolean => "Edm.Boolean",
        PropertyKind.Int32 => "Edm.Int32",
        PropertyKind.Double => "Edm.Double",
        PropertyKind.DateTimeOffset => "Edm.DateTimeOffset",
        PropertyKind.Date => "Edm.Date",
        PropertyKind.TimeOfDay => "Edm.TimeOfDay",
        PropertyKind.Duration => "Edm.Duration",
        PropertyKind.Binary => "Edm.Binary",
        _ => "Edm.String",
    };

    /// <summary>The messages of Graph's OData reader for a value of the wrong kind.</summary>
    private static GraphException Mismatch(string name, JsonNode value, string expected, ErrorSource source)
    {
        var message = expected switch
        {
            "StartObject" or "StartArray" or "PrimitiveValue" =>
                $"A node of type '{NodeName(value)}' was read from the JSON reader when trying to read the value of the property '{name}'; however, a '{expected}' node was expected.",
            _ when value is JsonValue => $"Cannot convert the literal '{Literal(value)}' to the expected type '{expected}'.",
            _ => $"A node of type '{NodeName(value)}' was read from the JSON reader when trying to read the value of the property '{name}'; however, a 'PrimitiveValue' node was expected.",
        };
        return GraphException.BadRequest(message, source);
    }

    private static string NodeName(JsonNode value) => value switch
    {
        JsonObject => "StartObject",
        JsonArray => "StartArray",
        _ => "PrimitiveValue",
    };

    private static string Literal(JsonNode value) =>
        value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : value.ToJsonString();
}
