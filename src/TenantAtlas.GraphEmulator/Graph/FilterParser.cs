using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace TenantAtlas.GraphEmulator.Graph;

/// <summary>
/// The $filter subset the emulator evaluates: eq / ne against strings, numbers, booleans and null; "in";
/// startswith(prop,'x'); joined with and / or / not and parentheses; a property behind a cast to a derived type the
/// family declares ("microsoft.graph.managedApp/appAvailability": null on objects of other types). Strings compare
/// case-insensitively, as the directory does. Anything else is rejected the way Graph rejects an unsupported filter.
/// </summary>
internal sealed class FilterParser
{
    private readonly List<Token> tokens;
    private readonly FamilyDefinition? family;
    private readonly string text;
    private readonly Dictionary<string, HashSet<string>> casts = new(StringComparer.Ordinal);
    private int position;

    private FilterParser(string text, FamilyDefinition? family)
    {
        this.text = text;
        this.family = family;
        tokens = Tokenize(text);
    }

    public static Func<JsonObject, bool> Parse(string text, FamilyDefinition? family)
    {
        var parser = new FilterParser(text, family);
        var predicate = parser.ParseOr();
        if (parser.position != parser.tokens.Count)
        {
            throw parser.Unsupported();
        }

        return predicate;
    }

    private Func<JsonObject, bool> ParseOr()
    {
        var left = ParseAnd();
        while (Accept("or"))
        {
            var first = left;
            var right = ParseAnd();
            left = o => first(o) || right(o);
        }

        return left;
    }

    private Func<JsonObject, bool> ParseAnd()
    {
        var left = ParseUnary();
        while (Accept("and"))
        {
            var first = left;
            var right = ParseUnary();
            left = o => first(o) && right(o);
        }

        return left;
    }

    private Func<JsonObject, bool> ParseUnary()
    {
        if (Accept("not"))
        {
            var inner = ParseUnary();
            return o => !inner(o);
        }

        if (AcceptSymbol('('))
        {
            var inner = ParseOr();
            ExpectSymbol(')');
            return inner;
        }

        var name = ExpectIdentifier();
        if (name.Equals("startswith", StringComparison.OrdinalIgnoreCase) || name.Equals("endswith", StringComparison.OrdinalIgnoreCase))
        {
            ExpectSymbol('(');
            var property = Property(ExpectIdentifier());
            ExpectSymbol(',');
            var literal = ExpectLiteral();
            ExpectSymbol(')');
            if (literal.Kind != TokenKind.String)
            {
                throw Unsupported();
            }

            var starts = name.Equals("startswith", StringComparison.OrdinalIgnoreCase);
            return o => Read(o, property) is JsonValue v && v.TryGetValue<string>(out var s)
                && (starts ? s.StartsWith(literal.Text, StringComparison.OrdinalIgnoreCase) : s.EndsWith(literal.Text, StringComparison.OrdinalIgnoreCase));
        }

        var prop = Property(name);
        if (Accept("in"))
        {
            ExpectSymbol('(');
            var values = new List<Token> { ExpectLiteral() };
            while (AcceptSymbol(','))
            {
                values.Add(ExpectLiteral());
            }

            ExpectSymbol(')');
            return o => values.Any(v => Equal(Read(o, prop), v));
        }

        if (Accept("eq"))
        {
            var value = ExpectLiteral();
            return o => Equal(Read(o, prop), value);
        }

        if (Accept("ne"))
        {
            var value = ExpectLiteral();
            return o => !Equal(Read(o, prop), value);
        }

        throw Unsupported();
    }

    private string Property(string name)
    {
        var slash = name.IndexOf('/', StringComparison.Ordinal);
        if (slash >= 0)
        {
            return CastProperty(name[..slash], name[(slash + 1)..]);
        }

        if (family is not null && !family.BaseProperties.Contains(name))
        {
            throw family.IsDirectory
                ? new GraphException(400, "Request_UnsupportedQuery",
                    $"Unsupported or invalid query filter clause specified for property '{name}' of resource '{family.EntityType["microsoft.graph.".Length..]}'.",
                    ErrorSource.Directory)
                : ODataQuery.UnknownProperty(family, name);
        }

        return name;
    }

    /// <summary>
    /// "type/property": the type must be one the family declares as a cast target and every concrete type it covers must
    /// have the property; kept as "type/property" for <see cref="Read"/>.
    /// </summary>
    private string CastProperty(string type, string property)
    {
        if (family is null || !family.FilterCasts.TryGetValue(type, out var covered))
        {
            throw new GraphException(400, "BadRequest", $"The type '{type}' is not a type derived from '{family?.EntityType}' that this collection can be filtered on.");
        }

        if (property.Length == 0 || property.Contains('/', StringComparison.Ordinal)
            || covered.Any(t => Shapes.GraphSchema.Find(t)?.Properties.Any(p => p.Name == property) != true))
        {
            throw new GraphException(400, "BadRequest", $"Could not find a property named '{property}' on type '{type}'.");
        }

        casts[type + "/" + property] = new HashSet<string>(covered, StringComparer.OrdinalIgnoreCase);
        return type + "/" + property;
    }

    private JsonNode? Read(JsonObject o, string property)
    {
        if (casts.TryGetValue(property, out var covered))
        {
            // OData's cast: an object of another type has no such property, so it reads as null.
            var type = o["@odata.type"] is JsonValue t && t.TryGetValue<string>(out var s) ? s.TrimStart('#') : null;
            return type is not null && covered.Contains(type) && o.TryGetPropertyValue(property[(property.IndexOf('/', StringComparison.Ordinal) + 1)..], out var cast) ? cast : null;
        }

        return o.TryGetPropertyValue(property, out var value) ? value : null;
    }

    private static bool Equal(JsonNode? actual, Token literal)
    {
        if (literal.Kind == TokenKind.Null)
        {
            return actual is null;
        }

        if (actual is not JsonValue value)
        {
            return false;
        }

        return literal.Kind switch
        {
            TokenKind.String => value.GetValueKind() == JsonValueKind.String
                && string.Equals(value.GetValue<string>(), literal.Text, StringComparison.OrdinalIgnoreCase),
            TokenKind.Boolean => value.GetValueKind() is JsonValueKind.True or JsonValueKind.False
                && value.GetValue<bool>() == bool.Parse(literal.Text),
            TokenKind.Number => value.GetValueKind() == JsonValueKind.Number
                && value.GetValue<decimal>() == decimal.Parse(literal.Text, CultureInfo.InvariantCulture),
            _ => false,
        };
    }

    private bool Accept(string keyword)
    {
        if (position < tokens.Count && tokens[position].Kind == TokenKind.Identifier
            && tokens[position].Text.Equals(keyword, StringComparison.OrdinalIgnoreCase))
        {
            position++;
            return true;
        }

        return false;
    }

    private bool AcceptSymbol(char symbol)
    {
        if (position < tokens.Count && tokens[position].Kind == TokenKind.Symbol && tokens[position].Text[0] == symbol)
        {
            position++;
            return true;
        }

        return false;
    }

    private void ExpectSymbol(char symbol)
    {
        if (!AcceptSymbol(symbol))
        {
            throw Unsupported();
        }
    }

    private string ExpectIdentifier()
    {
        if (position < tokens.Count && tokens[position].Kind == TokenKind.Identifier)
        {
            return tokens[position++].Text;
        }

        throw Unsupported();
    }

    private Token ExpectLiteral()
    {
        if (position < tokens.Count && tokens[position].Kind is TokenKind.String or TokenKind.Number or TokenKind.Boolean or TokenKind.Null)
        {
            return tokens[position++];
        }

        throw Unsupported();
    }

    private GraphException Unsupported() =>
        family?.IsDirectory == true
            ? new GraphException(400, "Request_UnsupportedQuery", "Unsupported Query.", ErrorSource.Directory)
            : new GraphException(400, "BadRequest", $"Invalid filter clause: '{text}'.");

    private enum TokenKind
    {
        Identifier,
        String,
        Number,
        Boolean,
        Null,
        Symbol,
    }

    private readonly record struct Token(TokenKind Kind, string Text);

    private List<Token> Tokenize(string input)
    {
        var result = new List<Token>();
        var i = 0;
        while (i < input.Length)
        {
            var c = input[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
            }
            else if (c is '(' or ')' or ',')
            {
                result.Add(new Token(TokenKind.Symbol, c.ToString()));
                i++;
            }
            else if (c == '\'')
            {
                var value = new StringBuilder();
                i++;
                while (true)
                {
                    if (i >= input.Length)
                    {
                        throw Unsupported();
                    }

                    if (input[i] == '\'')
                    {
                        if (i + 1 < input.Length && input[i + 1] == '\'')
                        {
                            value.Append('\'');
                            i += 2;
                            continue;
                        }

                        i++;
                        break;
                    }

                    value.Append(input[i++]);
                }

                result.Add(new Token(TokenKind.String, value.ToString()));
            }
            else if (char.IsAsciiDigit(c) || (c == '-' && i + 1 < input.Length && char.IsAsciiDigit(input[i + 1])))
            {
                var start = i++;
                while (i < input.Length && (char.IsAsciiDigit(input[i]) || input[i] == '.'))
                {
                    i++;
                }

                result.Add(new Token(TokenKind.Number, input[start..i]));
            }
            else if (char.IsLetter(c) || c is '_' or '@')
            {
                var start = i++;
                while (i < input.Length && (char.IsLetterOrDigit(input[i]) || input[i] is '_' or '.' or '/' or '@'))
                {
                    i++;
                }

                var word = input[start..i];
                result.Add(word.ToLowerInvariant() switch
                {
                    "true" or "false" => new Token(TokenKind.Boolean, word.ToLowerInvariant()),
                    "null" => new Token(TokenKind.Null, word),
                    _ => new Token(TokenKind.Identifier, word),
                });
            }
            else
            {
                throw Unsupported();
            }
        }

        return result;
    }
}
