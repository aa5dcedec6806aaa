using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using TenantAtlas.GraphEmulator.Seeding;

namespace TenantAtlas.GraphEmulator.Shapes;

/// <summary>
/// The emulator's description of each Graph type it serves (Shapes/graph-schema.json): property names in the order
/// Graph serializes them, the kind of each value, and which properties a create must name and which the service sets.
/// It holds no values: seeded objects get plausible values by kind and name from <see cref="SeedRandom"/>, created
/// objects get every property unset, and writes are checked against the kinds (<see cref="BodyValidator"/>).
/// </summary>
internal static class GraphSchema
{
    public const string Prefix = "microsoft.graph.";

    private static readonly Dictionary<string, TypeSchema> ByType = Load();

    /// <summary>Every type the schema describes, served entity types and the complex types inside them.</summary>
    public static IEnumerable<TypeSchema> Types => ByType.Values;

    /// <summary>The schema of a type ("microsoft.graph.x", with or without '#'), or null when the emulator has none.</summary>
    public static TypeSchema? Find(string? type) => type is null ? null : ByType.GetValueOrDefault(TypeName(type));

    public static TypeSchema Get(string type) =>
        Find(type) ?? throw new ArgumentException($"The emulator has no schema for '{type}'.", nameof(type));

    /// <summary>"microsoft.graph.x" from "#microsoft.graph.x" or "microsoft.graph.x".</summary>
    public static string TypeName(string type) => type.TrimStart('#');

    /// <summary>
    /// A seeded object of the type: every property, with a plausible value of its kind (nested objects by their own
    /// schema, collections empty). The same random source gives the same object.
    /// </summary>
    public static JsonObject Seed(string type, SeedRandom rng) => SeedObject(Get(type), rng, [])!;

    /// <summary>What a create stores before the body is applied: every property, unset (null, false, 0 or []).</summary>
    public static JsonObject Unset(string type)
    {
        var schema = Get(type);
        var result = new JsonObject { ["@odata.type"] = "#" + schema.Name };
        foreach (var property in schema.Properties)
        {
            result[property.Name] = property.Kind switch
            {
                { IsCollection: true } => new JsonArray(),
                { Base: PropertyKind.Boolean } => false,
                { Base: PropertyKind.Int32 or PropertyKind.Double } => 0,
                _ => null,
            };
        }

        return result;
    }

    /// <summary>
    /// Puts each value the seeder chose into the seeded object. Nested objects of the property's complex type are
    /// merged into a seeded object of that type (so they keep every property and their @odata.type); properties the
    /// schema does not have are dropped, since Graph would not show them.
    /// </summary>
    public static JsonObject Overlay(JsonObject seeded, JsonObject values, TypeSchema schema, SeedRandom rng)
    {
        foreach (var (name, value) in values)
        {
            if (schema.Property(name) is { } property)
            {
                seeded[name] = Merge(property.Kind, value, rng);
            }
        }

        return seeded;
    }

    private static JsonNode? Merge(PropertyKind kind, JsonNode? value, SeedRandom rng)
    {
        if (kind.IsObject && Find(Prefix + kind.Base) is { } nested)
        {
            if (!kind.IsCollection && value is JsonObject sent && SameType(nested, sent))
            {
                return Overlay(Seed(nested.Name, rng), sent, nested, rng);
            }

            if (kind.IsCollection && value is JsonArray items)
            {
                return new JsonArray([.. items.Select(item => item is JsonObject obj && SameType(nested, obj) ? Overlay(Seed(nested.Name, rng), obj, nested, rng) : item?.DeepClone())]);
            }
        }

        return value?.DeepClone();
    }

    private static bool SameType(TypeSchema schema, JsonObject value) =>
        value["@odata.type"]?.GetValue<string>() is not { } sent || string.Equals(TypeName(sent), schema.Name, StringComparison.OrdinalIgnoreCase);

    private static JsonObject? SeedObject(TypeSchema schema, SeedRandom rng, List<string> path)
    {
        if (path.Contains(schema.Name))
        {
            return null; // A type nested in itself (settings catalog children) stops at the first level.
        }

        path.Add(schema.Name);
        var result = new JsonObject { ["@odata.type"] = "#" + schema.Name };
        foreach (var property in schema.Properties)
        {
            result[property.Name] = SeedValue(property, rng, path);
        }

        path.RemoveAt(path.Count - 1);
        return result;
    }

    private static JsonNode? SeedValue(PropertySchema property, SeedRandom rng, List<string> path)
    {
        var kind = property.Kind;
        if (kind.IsCollection)
        {
            return new JsonArray();
        }

        var name = property.Name;
        return kind.Base switch
        {
            PropertyKind.Any => null,
            PropertyKind.Boolean => rng.Chance(0.2),
            PropertyKind.Int32 or PropertyKind.Double => SeedNumber(name, rng),
            PropertyKind.DateTimeOffset => SeedRandom.IntuneTime(rng.Before(TenantSeeder.Anchor, 365)),
            PropertyKind.Date => rng.Before(TenantSeeder.Anchor, 365).UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            PropertyKind.TimeOfDay => string.Create(CultureInfo.InvariantCulture, $"{rng.Between(0, 23):00}:00:00.0000000"),
            PropertyKind.Duration => string.Create(CultureInfo.InvariantCulture, $"PT{rng.Between(1, 12)}H"),
            PropertyKind.Binary => Convert.ToBase64String(Encoding.UTF8.GetBytes($"# {name}\n")),
            PropertyKind.Enum => rng.Pick(EnumMembers.For(name)),
            PropertyKind.String => SeedString(name, rng),
            _ => Find(Prefix + kind.Base) is { } nested ? SeedObject(nested, rng, path) : null,
        };
    }

    private static int SeedNumber(string name, SeedRandom rng) => name switch
    {
        _ when name.EndsWith("Days", StringComparison.Ordinal) || name.Contains("InDays", StringComparison.Ordinal) => rng.Between(1, 90),
        _ when name.Contains("Minutes", StringComparison.Ordinal) => rng.Between(1, 60),
        _ when name.Contains("Hours", StringComparison.Ordinal) => rng.Between(1, 24),
        _ when name.Contains("Percent", StringComparison.Ordinal) => rng.Between(0, 100),
        _ when name.Contains("Length", StringComparison.Ordinal) || name.Contains("Count", StringComparison.Ordinal) => rng.Between(0, 16),
        _ => rng.Between(0, 10),
    };

    private static string SeedString(string name, SeedRandom rng) => name switch
    {
        _ when name.EndsWith("Url", StringComparison.Ordinal) => $"https://contoso.example/{name}",
        _ when name.EndsWith("Version", StringComparison.Ordinal) => $"10.0.{rng.Between(10_000, 22_000)}",
        _ when name.EndsWith("Id", StringComparison.Ordinal) => rng.Guid(),
        _ => "",
    };

    private static Dictionary<string, TypeSchema> Load()
    {
        using var stream = typeof(GraphSchema).Assembly.GetManifestResourceStream("graph-schema.json")
            ?? throw new InvalidOperationException("The emulator's schema file is missing from its assembly.");
        using var document = JsonDocument.Parse(stream);
        var result = new Dictionary<string, TypeSchema>(StringComparer.OrdinalIgnoreCase);
        foreach (var type in document.RootElement.GetProperty("types").EnumerateObject())
        {
            var properties = type.Value.GetProperty("properties").EnumerateObject()
                .Select(p => new PropertySchema(p.Name, PropertyKind.Parse(p.Value.GetString()!)))
                .ToList();
            result[Prefix + type.Name] = new TypeSchema(
                Prefix + type.Name,
                properties,
                Names(type.Value, "required"),
                Names(type.Value, "readOnly"));
        }

        return result;
    }

    private static HashSet<string> Names(JsonElement type, string list) =>
        type.TryGetProperty(list, out var names)
            ? names.EnumerateArray().Select(n => n.GetString()!).ToHashSet(StringComparer.Ordinal)
            : new HashSet<string>(StringComparer.Ordinal);
}

/// <summary>A type of the schema: its properties in Graph's order, what a create must name, what the service sets.</summary>
internal sealed class TypeSchema(string name, IReadOnlyList<PropertySchema> properties, IReadOnlySet<string> required, IReadOnlySet<string> readOnly)
{
    private readonly Dictionary<string, PropertySchema> byName = properties.ToDictionary(p => p.Name, StringComparer.Ordinal);

    /// <summary>"microsoft.graph.x".</summary>
    public string Name { get; } = name;

    public IReadOnlyList<PropertySchema> Properties { get; } = properties;

    public IReadOnlySet<string> Required { get; } = required;

    public IReadOnlySet<string> ReadOnly { get; } = readOnly;

    public PropertySchema? Property(string name) => byName.GetValueOrDefault(name);

    /// <summary>
    /// This schema with the properties of an emulator-built sample added (their kind read from the sample's values),
    /// and properties whose kind the schema does not know given the sample's kind. Used for groups, whose docs example
    /// shows only some properties and nulls.
    /// </summary>
    public TypeSchema WithSample(JsonObject sample, IEnumerable<string> readOnly)
    {
        var merged = Properties.Select(p => p.Kind.Base == PropertyKind.Any && sample[p.Name] is { } value ? p with { Kind = PropertyKind.Of(value) } : p).ToList();
        merged.AddRange(sample.Where(p => !byName.ContainsKey(p.Key) && !p.Key.Contains('@', StringComparison.Ordinal))
            .Select(p => new PropertySchema(p.Key, p.Value is null ? PropertyKind.Parse("any?") : PropertyKind.Of(p.Value))));
        return new TypeSchema(Name, merged, Required, ReadOnly.Concat(readOnly).Where(n => merged.Any(p => p.Name == n)).ToHashSet(StringComparer.Ordinal));
    }
}

internal sealed record PropertySchema(string Name, PropertyKind Kind);

/// <summary>
/// The kind of a property's value: a primitive kind or a complex type's name (without "microsoft.graph."), maybe a
/// collection ("[]") and maybe nullable ("?").
/// </summary>
internal sealed record PropertyKind(string Base, bool IsCollection, bool IsNullable)
{
    public const string String = "string";
    public const string Boolean = "boolean";
    public const string Int32 = "int32";
    public const string Double = "double";
    public const string DateTimeOffset = "dateTimeOffset";
    public const string Date = "date";
    public const string TimeOfDay = "timeOfDay";
    public const string Duration = "duration";
    public const string Binary = "binary";
    public const string Enum = "enum";
    public const string Any = "any";

    private static readonly HashSet<string> Primitives = new(StringComparer.Ordinal)
    {
        String, Boolean, Int32, Double, DateTimeOffset, Date, TimeOfDay, Duration, Binary, Enum, Any,
    };

    /// <summary>An object of a complex type described in the schema.</summary>
    public bool IsObject => !Primitives.Contains(Base);

    /// <summary>Kinds whose JSON value is a string.</summary>
    public bool IsText => Base is String or DateTimeOffset or Date or TimeOfDay or Duration or Binary or Enum;

    public static PropertyKind Parse(string text)
    {
        var nullable = text.EndsWith('?');
        var rest = nullable ? text[..^1] : text;
        var collection = rest.EndsWith("[]", StringComparison.Ordinal);
        return new PropertyKind(collection ? rest[..^2] : rest, collection, nullable);
    }

    /// <summary>The kind of an emulator-built value (groups): text, switch, number, collection of the first item's kind.</summary>
    public static PropertyKind Of(JsonNode value) => value switch
    {
        JsonArray { Count: > 0 } items when items[0] is { } first => Of(first) with { IsCollection = true },
        JsonArray => new PropertyKind(Any, true, false),
        JsonObject => new PropertyKind(Any, false, true),
        _ => value.GetValueKind() switch
        {
            JsonValueKind.True or JsonValueKind.False => new PropertyKind(Boolean, false, false),
            JsonValueKind.Number => new PropertyKind(Int32, false, false),
            _ => new PropertyKind(String, false, true),
        },
    };

    public override string ToString() => Base + (IsCollection ? "[]" : "") + (IsNullable ? "?" : "");
}
