using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using TenantAtlas.GraphEmulator.State;

namespace TenantAtlas.GraphEmulator.Identity;

/// <summary>Who a Graph call is made as: the tenant and app the token was issued for, and the app roles it carries.</summary>
internal sealed record AccessTokenPrincipal(string TenantId, string AppId, IReadOnlySet<string> Roles);

/// <summary>
/// Issues and checks access tokens shaped like Entra ID's v1 app-only tokens for Microsoft Graph
/// (a JWT with aud, iss, tid, appid, roles, idtyp=app), signed with the emulator's key (HS256).
/// </summary>
internal static class AccessTokens
{
    public const string GraphResource = "https://graph.microsoft.com";

    public static string Issue(EmulatorState state, TenantState tenant, DateTimeOffset now, int lifetimeSeconds)
    {
        var header = new JsonObject { ["typ"] = "JWT", ["alg"] = "HS256", ["kid"] = "graph-emulator" };
        var issuedAt = now.ToUnixTimeSeconds();
        var payload = new JsonObject
        {
            ["aud"] = GraphResource,
            ["iss"] = $"https://sts.windows.net/{tenant.TenantId}/",
            ["iat"] = issuedAt,
            ["nbf"] = issuedAt,
            ["exp"] = issuedAt + lifetimeSeconds,
            ["app_displayname"] = "TenantAtlas",
            ["appid"] = tenant.AppId,
            ["appidacr"] = "1",
            ["idp"] = $"https://sts.windows.net/{tenant.TenantId}/",
            ["idtyp"] = "app",
            ["oid"] = ServicePrincipalId(tenant),
            ["roles"] = new JsonArray([.. tenant.Permissions.Select(p => (JsonNode?)JsonValue.Create(p))]),
            ["sub"] = ServicePrincipalId(tenant),
            ["tid"] = tenant.TenantId,
            ["uti"] = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(16)),
            ["ver"] = "1.0",
            ["xms_emu"] = tenant.Instance,
        };
        var signingInput = Encode(header) + "." + Encode(payload);
        var signature = Base64Url.EncodeToString(state.Protector.Mac(Encoding.ASCII.GetBytes(signingInput)));
        return signingInput + "." + signature;
    }

    /// <summary>The principal of a valid token, or the message Graph gives for an invalid one.</summary>
    public static (AccessTokenPrincipal? Principal, string? Error) Validate(EmulatorState state, string? authorization, DateTimeOffset now)
    {
        if (string.IsNullOrWhiteSpace(authorization))
        {
            return (null, "Access token is empty.");
        }

        const string bearer = "Bearer ";
        if (!authorization.StartsWith(bearer, StringComparison.OrdinalIgnoreCase))
        {
            return (null, "Access token is empty.");
        }

        var token = authorization[bearer.Length..].Trim();
        var parts = token.Split('.');
        if (parts.Length != 3)
        {
            return (null, "IDX14100: JWT is not well formed, there are no dots (.).\nThe token needs to be in JWS or JWE Compact Serialization Format.");
        }

        byte[] signature;
        JsonObject? payload;
        try
        {
            signature = Base64Url.DecodeFromChars(parts[2]);
            payload = JsonNode.Parse(Base64Url.DecodeFromChars(parts[1])) as JsonObject;
        }
        catch (Exception e) when (e is FormatException or System.Text.Json.JsonException)
        {
            return (null, "IDX14102: Unable to decode the header or payload as Base64Url encoded string.");
        }

        var expected = state.Protector.Mac(Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]));
        if (payload is null || !CryptographicOperations.FixedTimeEquals(expected, signature))
        {
            return (null, "Access token validation failure. Invalid signature.");
        }

        if (!string.Equals(payload["aud"]?.GetValue<string>(), GraphResource, StringComparison.Ordinal))
        {
            return (null, "Access token validation failure. Invalid audience.");
        }

        var expires = payload["exp"]?.GetValue<long>() ?? 0;
        if (now.ToUnixTimeSeconds() >= expires)
        {
            return (null, "Lifetime validation failed, the token is expired.");
        }

        var tenant = state.FindTenant(payload["tid"]?.GetValue<string>());
        if (tenant is null)
        {
            return (null, "Access token validation failure. Invalid issuer.");
        }

        var roles = (payload["roles"] as JsonArray ?? []).Select(r => r!.GetValue<string>()).ToHashSet(StringComparer.OrdinalIgnoreCase);
        return (new AccessTokenPrincipal(tenant.TenantId, payload["appid"]?.GetValue<string>() ?? "", roles), null);
    }

    private static string ServicePrincipalId(TenantState tenant)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(tenant.TenantId + "|" + tenant.AppId));
        return new Guid(hash.AsSpan(0, 16)).ToString();
    }

    private static string Encode(JsonObject json) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(json.ToJsonString()));
}
