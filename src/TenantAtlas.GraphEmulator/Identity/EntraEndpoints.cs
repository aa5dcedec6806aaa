using System.Globalization;
using System.Text.Json.Nodes;
using TenantAtlas.GraphEmulator.Hosting;
using TenantAtlas.GraphEmulator.State;

namespace TenantAtlas.GraphEmulator.Identity;

/// <summary>
/// The slice of Entra ID (login.microsoftonline.com) an app-only client needs: the v2.0 token endpoint for the
/// client-credentials grant with Entra's AADSTS errors, OpenID configuration, instance discovery and keys.
/// </summary>
internal static class EntraEndpoints
{
    private static readonly string[] GraphResources =
    [
        "https://graph.microsoft.com",
        "https://graph.microsoft.com/",
        "00000003-0000-0000-c000-000000000000",
    ];

    public static void MapEntra(this IEndpointRouteBuilder app)
    {
        app.MapPost("/{tenant}/oauth2/v2.0/token", TokenAsync);
        app.MapGet("/{tenant}/v2.0/.well-known/openid-configuration", OpenIdConfigurationAsync);
        app.MapGet("/{tenant}/.well-known/openid-configuration", OpenIdConfigurationAsync);
        app.MapGet("/common/discovery/instance", InstanceDiscoveryAsync);
        app.MapGet("/{tenant}/discovery/v2.0/keys", KeysAsync);
    }

    private static async Task TokenAsync(HttpContext context, string tenant, EmulatorState state)
    {
        var now = state.Time.GetUtcNow();
        var trace = Guid.NewGuid().ToString();
        var sentCorrelation = context.Request.Headers["client-request-id"].FirstOrDefault() is { Length: > 0 } c ? c : null;
        var correlation = sentCorrelation ?? Guid.NewGuid().ToString();
        context.Response.Headers["x-ms-request-id"] = trace;
        context.Response.Headers["client-request-id"] = correlation;
        context.Response.Headers.CacheControl = "no-store, no-cache";

        var form = context.Request.HasFormContentType
            ? await context.Request.ReadFormAsync(context.RequestAborted)
            : new FormCollection([]);
        string? Field(string name) => form.TryGetValue(name, out var value) && value.Count > 0 && value[0] is { Length: > 0 } v ? v : null;
        var clientId = Field("client_id");
        var target = state.FindTenant(tenant);

        var (status, body) = Decide();
        state.Log.Add(seq => new RequestLogEntry(
            seq, now, "token", "POST", context.Request.Path + context.Request.QueryString, target?.TenantId ?? tenant, clientId, status,
            IsBatchItem: false, sentCorrelation, trace, FaultId: null));
        await HttpJson.WriteAsync(context, status, body);

        (int Status, JsonObject Body) Decide()
        {
            if (target is null)
            {
                return Error(400, "invalid_request", 90002,
                    $"Tenant '{tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud. "
                    + "Check with your subscription administrator, this may happen if there are no active subscriptions for the tenant.");
            }

            var grantType = Field("grant_type");
            if (grantType is null)
            {
                return Error(400, "invalid_request", 900144, "The request body must contain the following parameter: 'grant_type'.");
            }

            if (grantType != "client_credentials")
            {
                return Error(400, "unsupported_grant_type", 70003, $"The app requested an unsupported grant type '{grantType}'.");
            }

            if (clientId is null)
            {
                return Error(400, "invalid_request", 900144, "The request body must contain the following parameter: 'client_id'.");
            }

            if (!string.Equals(clientId, target.AppId, StringComparison.OrdinalIgnoreCase))
            {
                return Error(400, "unauthorized_client", 700016,
                    $"Application with identifier '{clientId}' was not found in the directory '{target.DisplayName}'. This can happen if the "
                    + "application has not been installed by the administrator of the tenant or consented to by any user in the tenant. "
                    + "You may have sent your authentication request to the wrong tenant.");
            }

            var secret = Field("client_secret");
            if (secret is null)
            {
                return Error(401, "invalid_client", 7000216,
                    "'client_assertion', 'client_secret' or 'request' is required for the 'client_credentials' grant type.");
            }

            if (!string.Equals(secret, target.AppSecret, StringComparison.Ordinal))
            {
                return Error(401, "invalid_client", 7000215,
                    "Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client "
                    + $"secret ID, for a secret added to app '{target.AppId}'.");
            }

            var scope = Field("scope");
            if (scope is null)
            {
                return Error(400, "invalid_request", 900144, "The request body must contain the following parameter: 'scope'.");
            }

            var resourceScope = scope.Split(' ', StringSplitOptions.RemoveEmptyEntries)
                .FirstOrDefault(s => s is not ("openid" or "profile" or "offline_access"));
            if (resourceScope is null || !resourceScope.EndsWith("/.default", StringComparison.OrdinalIgnoreCase))
            {
                return Error(400, "invalid_scope", 1002012,
                    $"The provided value for scope {scope} is not valid. Client credential flows must have a scope value with /.default suffixed "
                    + "to the resource identifier (application ID URI).");
            }

            var resource = resourceScope[..^"/.default".Length];
            if (!IsGraph(resource, context.Request.Host.Host))
            {
                return Error(400, "invalid_resource", 500011,
                    $"The resource principal named {resource} was not found in the tenant named {target.DisplayName}. This can happen if the "
                    + "application has not been installed by the administrator of the tenant or consented to by any user in the tenant. "
                    + "You might have sent your authentication request to the wrong tenant.");
            }

            var lifetime = state.Options.TokenLifetimeSeconds;
            return (200, new JsonObject
            {
                ["token_type"] = "Bearer",
                ["expires_in"] = lifetime,
                ["ext_expires_in"] = lifetime,
                ["access_token"] = AccessTokens.Issue(state, target, now, lifetime),
            });
        }

        (int, JsonObject) Error(int code, string error, int aadsts, string message)
        {
            var timestamp = now.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);
            return (code, new JsonObject
            {
                ["error"] = error,
                ["error_description"] = $"AADSTS{aadsts}: {message} Trace ID: {trace} Correlation ID: {correlation} Timestamp: {timestamp}",
                ["error_codes"] = new JsonArray(aadsts),
                ["timestamp"] = timestamp,
                ["trace_id"] = trace,
                ["correlation_id"] = correlation,
                ["error_uri"] = $"{HttpJson.BaseUrl(context.Request)}/error?code={aadsts}",
            });
        }
    }

    /// <summary>Graph by its URI or app id; the emulator's own address stands for Graph too.</summary>
    private static bool IsGraph(string resource, string host) =>
        GraphResources.Contains(resource, StringComparer.OrdinalIgnoreCase)
        || (Uri.TryCreate(resource, UriKind.Absolute, out var uri)
            && (uri.IsLoopback || string.Equals(uri.Host, host, StringComparison.OrdinalIgnoreCase)));

    private static async Task OpenIdConfigurationAsync(HttpContext context, string tenant, EmulatorState state)
    {
        var found = state.FindTenant(tenant);
        var generic = tenant is "common" or "organizations" or "consumers";
        var now = state.Time.GetUtcNow();
        if (found is null && !generic)
        {
            Log(context, state, now, tenant, 400);
            await HttpJson.WriteAsync(context, 400, new JsonObject
            {
                ["error"] = "invalid_tenant",
                ["error_description"] = $"AADSTS90002: Tenant '{tenant}' not found. Check to make sure you have the correct tenant ID and are signing "
                    + "into the correct cloud.",
                ["error_codes"] = new JsonArray(90002),
            });
            return;
        }

        var baseUrl = HttpJson.BaseUrl(context.Request);
        var segment = found?.TenantId ?? tenant;
        var issuerTenant = found?.TenantId ?? "{tenantid}";
        Log(context, state, now, found?.TenantId, 200);
        await HttpJson.WriteAsync(context, 200, new JsonObject
        {
            ["token_endpoint"] = $"{baseUrl}/{segment}/oauth2/v2.0/token",
            ["token_endpoint_auth_methods_supported"] = new JsonArray("client_secret_post", "private_key_jwt", "client_secret_basic"),
            ["jwks_uri"] = $"{baseUrl}/{segment}/discovery/v2.0/keys",
            ["response_modes_supported"] = new JsonArray("query", "fragment", "form_post"),
            ["subject_types_supported"] = new JsonArray("pairwise"),
            ["id_token_signing_alg_values_supported"] = new JsonArray("RS256"),
            ["response_types_supported"] = new JsonArray("code", "id_token", "code id_token", "id_token token"),
            ["scopes_supported"] = new JsonArray("openid", "profile", "email", "offline_access"),
            ["issuer"] = $"{baseUrl}/{issuerTenant}/v2.0",
            ["request_uri_parameter_supported"] = false,
            ["userinfo_endpoint"] = "https://graph.microsoft.com/oidc/userinfo",
            ["authorization_endpoint"] = $"{baseUrl}/{segment}/oauth2/v2.0/authorize",
            ["device_authorization_endpoint"] = $"{baseUrl}/{segment}/oauth2/v2.0/devicecode",
            ["http_logout_supported"] = true,
            ["frontchannel_logout_supported"] = true,
            ["end_session_endpoint"] = $"{baseUrl}/{segment}/oauth2/v2.0/logout",
            ["claims_supported"] = new JsonArray("sub", "iss", "aud", "exp", "iat", "nonce", "tid", "oid", "roles"),
            ["tenant_region_scope"] = "EU",
            ["cloud_instance_name"] = "microsoftonline.com",
            ["cloud_graph_host_name"] = "graph.windows.net",
            ["msgraph_host"] = "graph.microsoft.com",
            ["rbac_url"] = "https://pas.windows.net",
        });
    }

    private static async Task InstanceDiscoveryAsync(HttpContext context, EmulatorState state)
    {
        var baseUrl = HttpJson.BaseUrl(context.Request);
        var tenant = "common";
        if (context.Request.Query["authorization_endpoint"].FirstOrDefault() is { } endpoint
            && Uri.TryCreate(endpoint, UriKind.Absolute, out var uri)
            && uri.Segments.Length > 1)
        {
            tenant = uri.Segments[1].TrimEnd('/');
        }

        var host = context.Request.Host.ToString();
        Log(context, state, state.Time.GetUtcNow(), state.FindTenant(tenant)?.TenantId, 200);
        await HttpJson.WriteAsync(context, 200, new JsonObject
        {
            ["tenant_discovery_endpoint"] = $"{baseUrl}/{tenant}/v2.0/.well-known/openid-configuration",
            ["api-version"] = "1.1",
            ["metadata"] = new JsonArray(new JsonObject
            {
                ["preferred_network"] = host,
                ["preferred_cache"] = host,
                ["aliases"] = new JsonArray(host),
            }),
        });
    }

    private static async Task KeysAsync(HttpContext context, string tenant, EmulatorState state)
    {
        Log(context, state, state.Time.GetUtcNow(), state.FindTenant(tenant)?.TenantId, 200);
        await HttpJson.WriteAsync(context, 200, new JsonObject { ["keys"] = new JsonArray() });
    }

    private static void Log(HttpContext context, EmulatorState state, DateTimeOffset now, string? tenantId, int status) =>
        state.Log.Add(seq => new RequestLogEntry(
            seq, now, "metadata", context.Request.Method, context.Request.Path + context.Request.QueryString, tenantId, null, status,
            IsBatchItem: false, context.Request.Headers["client-request-id"].FirstOrDefault(), Guid.NewGuid().ToString(), FaultId: null));
}
