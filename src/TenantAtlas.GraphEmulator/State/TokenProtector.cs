using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace TenantAtlas.GraphEmulator.State;

/// <summary>Signs access tokens, and seals the opaque paging and delta tokens (clients cannot read or forge them).</summary>
internal sealed class TokenProtector
{
    private const int NonceLength = 12;
    private const int TagLength = 16;
    private readonly byte[] key;
    private readonly byte[] encryptionKey;

    public TokenProtector(string? base64Key)
    {
        key = base64Key is { Length: > 0 } ? Convert.FromBase64String(base64Key) : RandomNumberGenerator.GetBytes(32);
        if (key.Length < 32)
        {
            throw new ArgumentException("The signing key must be at least 32 bytes.", nameof(base64Key));
        }

        encryptionKey = HMACSHA256.HashData(key, "paging-and-delta-tokens"u8);
    }

    public byte[] Mac(ReadOnlySpan<byte> data) => HMACSHA256.HashData(key, data);

    /// <summary>An opaque (encrypted and authenticated), URL-safe token carrying <paramref name="payload"/>.</summary>
    public string Protect(JsonObject payload)
    {
        var plain = Encoding.UTF8.GetBytes(payload.ToJsonString());
        var buffer = new byte[NonceLength + plain.Length + TagLength];
        var nonce = buffer.AsSpan(0, NonceLength);
        RandomNumberGenerator.Fill(nonce);
        using var aes = new AesGcm(encryptionKey, TagLength);
        aes.Encrypt(nonce, plain, buffer.AsSpan(NonceLength, plain.Length), buffer.AsSpan(NonceLength + plain.Length));
        return Base64Url.EncodeToString(buffer);
    }

    /// <summary>The payload of a token made by <see cref="Protect"/>, or null for anything else (tampered, foreign, garbage).</summary>
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

        if (buffer.Length <= NonceLength + TagLength)
        {
            return null;
        }

        var plain = new byte[buffer.Length - NonceLength - TagLength];
        try
        {
            using var aes = new AesGcm(encryptionKey, TagLength);
            aes.Decrypt(buffer.AsSpan(0, NonceLength), buffer.AsSpan(NonceLength, plain.Length), buffer.AsSpan(NonceLength + plain.Length), plain);
            return JsonNode.Parse(plain) as JsonObject;
        }
        catch (Exception e) when (e is CryptographicException or System.Text.Json.JsonException)
        {
            return null;
        }
    }
}
