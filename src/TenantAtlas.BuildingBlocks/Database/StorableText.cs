namespace TenantAtlas.BuildingBlocks.Database;

/// <summary>
/// Text PostgreSQL can store. A UTF-8 database refuses NUL in <c>text</c> and <c>\u0000</c> in <c>jsonb</c>, and a string
/// with an unpaired surrogate has no UTF-8 form at all: either reaches SQL as an error (a 500). Input is checked against
/// this rule where it enters — the host's request guard and the pages' query helper — so nothing further in needs to.
/// </summary>
public static class StorableText
{
    /// <summary>In words, what in <paramref name="text"/> cannot be stored (<c>NUL</c>, <c>an unpaired surrogate</c>), or null when all of it can.</summary>
    public static string? Problem(ReadOnlySpan<char> text)
    {
        if (text.Contains('\0'))
        {
            return "NUL";
        }

        var surrogate = text.IndexOfAnyInRange('\uD800', '\uDFFF');
        if (surrogate < 0)
        {
            return null;
        }

        for (var i = surrogate; i < text.Length; i++)
        {
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
            }
            else if (char.IsSurrogate(text[i]))
            {
                return "an unpaired surrogate";
            }
        }

        return null;
    }

    public static bool IsStorable(ReadOnlySpan<char> text) => Problem(text) is null;
}
