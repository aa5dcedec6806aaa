using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace TenantAtlas.GraphEmulator.State;

/// <summary>Signs access tokens and makes the opaque paging and delta tokens tamper-evident.</summary>
internal sealed class TokenProtector
{
    private const int MacLength = 12;
    private readonly byte[] key;

    public TokenProtector(string? base64Key)
    {
        key = base64Key is { Length: > 0 } ? Convert.FromBase64String(base64Key) : RandomNumberGenerator.GetBytes(32);
        if (key.Length < 32)
        {
            throw new ArgumentException("The signing key must be at least 32 bytes.", nameof(base64Key));
        }
    }

    public byte[] Mac(ReadOnlySpan<byte> data) => HMACSHA256.HashData(key, data);

    /// <summary>An opaque, URL-safe token carrying <paramref name="payload"/>.</summary>
    public string Protect(JsonObject payload)
    {
        var json = Encoding.UTF8.GetBytes(payload.ToJsonString());
        var buffer = new byte[json.Length + MacLength];
        json.CopyTo(buffer, 0);
        Mac(json).AsSpan(0, MacLength).CopyTo(buffer.AsSpan(json.Length));
        return Base64Url.EncodeToString(buffer);
    }

    /// <summary>The payload of a token made by <see cref="Protect"/>, or null for anything else.</summary>
    public JsonObject? Unprotect(string? token)
    {
        if (string.IsNullOrEmpty(token))
        {
            return null;
        }

        byte[] buffer;
        try
        {
            buffer = Base64Url.DecodeFromChars(token);
        }
        catch (FormatException)
        {
            return null;
        }

        if (buffer.Length <= MacLength)
        {
            return null;
        }

        var json = buffer.AsSpan(0, buffer.Length - MacLength);
        if (!CryptographicOperations.FixedTimeEquals(Mac(json).AsSpan(0, MacLength), buffer.AsSpan(buffer.Length - MacLength)))
        {
            return null;
        }

        try
        {
            return JsonNode.Parse(json) as JsonObject;
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
        }
    }
}
