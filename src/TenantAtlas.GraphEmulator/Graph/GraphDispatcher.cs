using System.Text.Json.Nodes;
using TenantAtlas.GraphEmulator.Faults;
using TenantAtlas.GraphEmulator.Identity;
using TenantAtlas.GraphEmulator.State;

namespace TenantAtlas.GraphEmulator.Graph;

/// <summary>
/// Answers one Graph call (direct or a $batch item): token check, scripted faults, routing, permission
/// check, the handler, then Graph's standard headers and a request log entry.
/// </summary>
internal sealed class GraphDispatcher(EmulatorState state)
{
    public async Task<GraphResponse> HandleAsync(GraphRequest request, string? authorization, CancellationToken cancellationToken)
    {
        // The network's share of the call, before the service sees it; a $batch item travels inside its envelope.
        if (!request.IsBatchItem && !state.Latency.IsNone)
        {
            await Task.Delay(state.Latency.Sample(Random.Shared), state.Time, cancellationToken);
        }

        var requestId = Guid.NewGuid().ToString();
        var clientRequestId = request.Header("client-request-id");
        var now = state.Time.GetUtcNow();
        string? tenantId = null;
        string? appId = null;
        string? faultId = null;
        GraphResponse response;
        try
        {
            var (principal, error) = AccessTokens.Validate(state, authorization, now);
            if (principal is null || state.FindTenant(principal.TenantId) is not { } tenant)
            {
                var unauthorized = new GraphException(401, "InvalidAuthenticationToken", error ?? "Access token validation failure.");
                unauthorized.Headers["WWW-Authenticate"] =
                    "Bearer realm=\"\", authorization_uri=\"https://login.microsoftonline.com/common/oauth2/authorize\", client_id=\"00000003-0000-0000-c000-000000000000\"";
                throw unauthorized;
            }

            tenantId = principal.TenantId;
            appId = principal.AppId;
            var decision = state.Faults.Match(tenantId, request.Method, $"/{request.Version}{request.Path}");
            if (decision.LatencyMs > 0)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(decision.LatencyMs), state.Time, cancellationToken);
            }

            if (decision.Failure is { } failure)
            {
                faultId = decision.RuleId;
                throw Fault(failure, request.Path);
            }

            // The envelope of a $batch is not a call in Graph's counting; its items are, each on its own.
            var isBatchEnvelope = request.Path.EndsWith("/$batch", StringComparison.OrdinalIgnoreCase);
            // Conditional Access has its own limit (1 request/s per tenant for all apps) and does not count against Intune's.
            var conditionalAccess = request.Path.StartsWith("/identity/conditionalAccess", StringComparison.OrdinalIgnoreCase);
            var limits = conditionalAccess ? tenant.ConditionalAccessLimits : tenant.Limits;
            if (!isBatchEnvelope && limits.TryAdmit(!string.Equals(request.Method, "GET", StringComparison.OrdinalIgnoreCase), now) is { } wait)
            {
                var throttled = new GraphException(429, "TooManyRequests", "Too many requests. The request was throttled; retry after the time given in Retry-After.");
                if (!conditionalAccess)
                {
                    throttled.Headers["Retry-After"] = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
                }

                // Microsoft's throttling page: the Conditional Access resources answer 429 without Retry-After.
                throw throttled;
            }

            var call = new GraphCall
            {
                Request = request,
                State = state,
                Tenant = tenant,
                Principal = principal,
                RequestId = requestId,
                Now = now,
            };
            response = await RouteAsync(call, authorization, cancellationToken);
        }
        catch (GraphException e)
        {
            response = new GraphResponse(
                e.Status,
                GraphErrors.Envelope(e.Code, e.Message, e.ErrorSource, requestId, clientRequestId, now, request.PathAndQuery),
                GraphResponse.PlainJson);
            foreach (var (name, value) in e.Headers)
            {
                response.Headers[name] = value;
            }
        }

        response.Headers["request-id"] = requestId;
        response.Headers["client-request-id"] = clientRequestId ?? requestId;
        response.Headers["x-ms-ags-diagnostic"] =
            "{\"ServerInfo\":{\"DataCenter\":\"Emulator\",\"Slice\":\"E\",\"Ring\":\"0\",\"ScaleUnit\":\"000\",\"RoleInstance\":\"EMU\"}}";
        state.Log.Add(seq => new RequestLogEntry(
            seq, now, "graph", request.Method, request.PathAndQuery, tenantId, appId, response.Status, request.IsBatchItem,
            clientRequestId, requestId, faultId));
        return response;
    }

    private static GraphException Fault(FaultSpec failure, string path)
    {
        var status = failure.Status!.Value;
        var source = path.StartsWith("/device", StringComparison.OrdinalIgnoreCase) ? ErrorSource.Intune
            : path.StartsWith("/groups", StringComparison.OrdinalIgnoreCase) ? ErrorSource.Directory
            : ErrorSource.Graph;
        var code = failure.ErrorCode ?? status switch
        {
            429 => "TooManyRequests",
            500 => "InternalServerError",
            502 => "BadGateway",
            503 => "ServiceUnavailable",
            504 => "GatewayTimeout",
            _ => "UnknownError",
        };
        var message = failure.ErrorMessage ?? status switch
        {
            429 => "Too many requests. The request was throttled; retry after the time given in Retry-After.",
            503 => "The service is temporarily unavailable. Please retry later.",
            504 => "The gateway timed out waiting for the service.",
            _ => "An error has occurred.",
        };
        var exception = new GraphException(status, code, message, source);
        if (failure.RetryAfterSeconds is { } seconds)
        {
            exception.Headers["Retry-After"] = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return exception;
    }

    private async Task<GraphResponse> RouteAsync(GraphCall call, string? authorization, CancellationToken cancellationToken)
    {
        var segments = Segments(call.Request.Path);
        var method = call.Request.Method;
        if (segments.Count == 0)
        {
            return ServiceDocument(call);
        }

        var first = segments[0];
        if (first.Equals("$batch", StringComparison.OrdinalIgnoreCase) && segments.Count == 1)
        {
            if (call.Request.IsBatchItem)
            {
                throw new GraphException(400, "BadRequest", "A batch cannot contain another batch.");
            }

            return method == "POST"
                ? await BatchHandler.HandleAsync(call, this, authorization, cancellationToken)
                : throw GraphException.MethodNotAllowed(method, call.Request.PathAndQuery, ErrorSource.Graph);
        }

        if (first.Equals("organization", StringComparison.OrdinalIgnoreCase))
        {
            return Organization(call, segments);
        }

        FamilyDefinition? family;
        int next;
        if (first.Equals("groups", StringComparison.OrdinalIgnoreCase))
        {
            family = FamilyRegistry.Get(GraphFamilies.Groups);
            next = 1;
        }
        else if ((first.Equals("deviceManagement", StringComparison.OrdinalIgnoreCase) || first.Equals("deviceAppManagement", StringComparison.OrdinalIgnoreCase))
                 && segments.Count > 1)
        {
            family = FamilyRegistry.Find(first, segments[1]);
            if (family is null || (!family.InV1 && call.Request.Version == "v1.0"))
            {
                throw GraphException.SegmentNotFound(segments[1]);
            }

            next = 2;
        }
        else if (first.Equals("identity", StringComparison.OrdinalIgnoreCase) && segments.Count > 2
                 && segments[1].Equals("conditionalAccess", StringComparison.OrdinalIgnoreCase))
        {
            family = FamilyRegistry.Find("identity/conditionalAccess", segments[2]) ?? throw GraphException.SegmentNotFound(segments[2]);
            next = 3;
        }
        else
        {
            throw GraphException.SegmentNotFound(first);
        }

        var rest = segments.Skip(next).ToList();
        var write = method is not "GET";
        Authorize(call, family, write);
        if (write && call.Tenant.RequiresApproval(family.Name))
        {
            throw ApprovalRequired();
        }

        var source = CollectionHandlers.SourceOf(family);
        if (family.IsCatalog && write && rest.Count < 2)
        {
            // Intune's own templates: an app creates an intent from one (createInstance), never the template itself.
            throw GraphException.MethodNotAllowed(method, call.Request.PathAndQuery, source);
        }

        if (rest.Count == 0)
        {
            return method switch
            {
                "GET" => CollectionHandlers.List(call, family),
                "POST" => CollectionHandlers.Create(call, family),
                _ => throw GraphException.MethodNotAllowed(method, call.Request.PathAndQuery, source),
            };
        }

        if (family.IsDirectory && rest.Count == 1 && rest[0] is "delta" or "microsoft.graph.delta")
        {
            return method == "GET"
                ? GroupsDelta.Handle(call, family)
                : throw GraphException.MethodNotAllowed(method, call.Request.PathAndQuery, source);
        }

        var id = rest[0];
        if (rest.Count == 1)
        {
            return method switch
            {
                "GET" => CollectionHandlers.Get(call, family, id),
                "PATCH" => CollectionHandlers.Update(call, family, id),
                "PUT" => CollectionHandlers.Replace(call, family, id),
                "DELETE" => CollectionHandlers.Delete(call, family, id),
                _ => throw GraphException.MethodNotAllowed(method, call.Request.PathAndQuery, source),
            };
        }

        if (family.IsDirectory)
        {
            throw GraphException.SegmentNotFound(rest[1]);
        }

        return NavigationHandlers.Handle(call, family, id, rest.Skip(1).ToList());
    }

    private static void Authorize(GraphCall call, FamilyDefinition family, bool write)
    {
        var accepted = write ? family.WritePermissions : family.ReadPermissions;
        if (accepted.Any(call.Principal.Roles.Contains))
        {
            return;
        }

        throw family.IsDirectory
            ? new GraphException(403, "Authorization_RequestDenied", "Insufficient privileges to complete the operation.", ErrorSource.Directory)
            : family.IsConditionalAccess
            ? new GraphException(403, "AccessDenied", "You cannot perform the requested operation, required scopes are missing in the token.", ErrorSource.Graph)
            : new GraphException(403, "Forbidden",
                "Application is not authorized to perform this operation. Application must have one of the following scopes: "
                + string.Join(", ", accepted),
                ErrorSource.Intune);
    }

    /// <summary>
    /// Intune's Multi Admin Approval refusal of an app-only write to a protected resource. Microsoft's article
    /// "Use Multi Admin Approval with the Microsoft Graph API" documents an HTTP 403 whose body says the operation needs
    /// approval, without the exact body; the message is the one Intune is reported to send when the approval header is
    /// missing. Sending that header (which files an approval request) is not modelled.
    /// </summary>
    internal static GraphException ApprovalRequired() =>
        new(403, "Forbidden", "Header 'x-msft-approval-justification' is required to request approval", ErrorSource.Intune);

    private static GraphResponse Organization(GraphCall call, List<string> segments)
    {
        string[] accepted = [GraphPermissions.OrganizationRead, GraphPermissions.DirectoryRead, GraphPermissions.DirectoryReadWrite];
        if (!accepted.Any(call.Principal.Roles.Contains))
        {
            throw new GraphException(403, "Authorization_RequestDenied", "Insufficient privileges to complete the operation.", ErrorSource.Directory);
        }

        if (call.Request.Method != "GET")
        {
            throw GraphException.MethodNotAllowed(call.Request.Method, call.Request.PathAndQuery, ErrorSource.Directory);
        }

        var tenant = call.Tenant;
        var organization = new JsonObject
        {
            ["id"] = tenant.TenantId,
            ["deletedDateTime"] = null,
            ["createdDateTime"] = "2019-05-21T09:12:44Z",
            ["displayName"] = tenant.DisplayName,
            ["countryLetterCode"] = "DE",
            ["preferredLanguage"] = "en",
            ["tenantType"] = "AAD",
            ["verifiedDomains"] = new JsonArray(new JsonObject
            {
                ["capabilities"] = "Email, OfficeCommunicationsOnlineService",
                ["isDefault"] = true,
                ["isInitial"] = true,
                ["name"] = tenant.Domain,
                ["type"] = "Managed",
            }),
        };
        if (segments.Count == 1)
        {
            return new GraphResponse(200, new JsonObject
            {
                ["@odata.context"] = $"{call.Metadata}#organization",
                ["value"] = new JsonArray(organization),
            });
        }

        if (segments.Count == 2 && string.Equals(segments[1], tenant.TenantId, StringComparison.OrdinalIgnoreCase))
        {
            organization.Insert(0, "@odata.context", $"{call.Metadata}#organization/$entity");
            return new GraphResponse(200, organization);
        }

        throw new GraphException(404, "Request_ResourceNotFound",
            $"Resource '{segments[^1]}' does not exist or one of its queried reference-property objects are not present.", ErrorSource.Directory);
    }

    private static GraphResponse ServiceDocument(GraphCall call) =>
        new(200, new JsonObject
        {
            ["@odata.context"] = call.Metadata,
            ["value"] = new JsonArray(
                new JsonObject { ["name"] = "groups", ["kind"] = "EntitySet", ["url"] = "groups" },
                new JsonObject { ["name"] = "organization", ["kind"] = "EntitySet", ["url"] = "organization" },
                new JsonObject { ["name"] = "deviceManagement", ["kind"] = "Singleton", ["url"] = "deviceManagement" },
                new JsonObject { ["name"] = "deviceAppManagement", ["kind"] = "Singleton", ["url"] = "deviceAppManagement" }),
        });

    /// <summary>
    /// Path segments with OData key and call syntax flattened: "groups('x')" → groups, x;
    /// "delta()" → delta; "microsoft.graph.delta()" → microsoft.graph.delta.
    /// </summary>
    public static List<string> Segments(string path)
    {
        var result = new List<string>();
        foreach (var raw in path.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            var open = raw.IndexOf('(', StringComparison.Ordinal);
            if (open > 0 && raw.EndsWith(')'))
            {
                result.Add(raw[..open]);
                var key = raw[(open + 1)..^1].Trim('\'');
                if (key.Length > 0)
                {
                    result.Add(key);
                }
            }
            else
            {
                result.Add(raw);
            }
        }

        return result;
    }
}
