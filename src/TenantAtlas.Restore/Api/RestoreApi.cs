using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using TenantAtlas.Access.Contracts;
using TenantAtlas.Restore.Contracts;
using TenantAtlas.Restore.Review;

namespace TenantAtlas.Restore.Api;

/// <summary>
/// Restore requests for automation: <c>POST /api/restores</c> creates one, <c>GET /api/restores/{id}</c> reads where it
/// stands (state, newest plan's counts and freshness, runs), <c>POST /api/restores/{id}/rollback</c> creates the rollback of
/// an executed request and plans it, <c>POST /api/restores/{id}/references</c> stores the admin's answer for one entry of
/// the plan's dependency map (map to an object of the target, drop, clear). Planning and executing are runs: <c>POST /api/operations</c>
/// with <c>restore.plan</c> / <c>restore.execute</c> and <c>{"inputs":{"restoreRequestId": …}}</c>. Same authentication
/// and 404/403 rules as the runs API; ProblemDetails for every refusal; nothing is written for a refused call.
/// </summary>
internal static class RestoreApi
{
    private const string Shape = "{\"sourceBackupSetId\":\"<GUID>\",\"targetTenantId\":\"<GUID>\",\"families\":[\"deviceConfigurations\"],\"itemIds\":[123],\"copySuffix\":\" (restored)\"}";

    private const string ReferenceShape = "{\"kind\":\"notificationTemplate\",\"sourceId\":\"<id in the source>\",\"action\":\"map\",\"targetId\":\"<id in the target>\"}";

    /// <summary>The kinds as the API spells them (camelCase of <see cref="ReferenceKind"/>), each once.</summary>
    private static readonly IReadOnlyList<(string Name, ReferenceKind Kind)> Kinds =
        [.. Enum.GetValues<ReferenceKind>().Select(k => (JsonNamingPolicy.CamelCase.ConvertName(k.ToString()), k))];

    private static readonly IReadOnlyList<(string Name, ReferenceAction Action)> Actions =
        [.. Enum.GetValues<ReferenceAction>().Select(a => (JsonNamingPolicy.CamelCase.ConvertName(a.ToString()), a))];

    private static readonly JsonDocumentOptions Parsing = new() { AllowDuplicateProperties = false, MaxDepth = 16 };

    public static IEndpointRouteBuilder MapRestoreApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api/restores").RequireAuthorization(AccessSchemes.ApiPolicy).DisableAntiforgery();
        api.MapGet("/{id}", GetAsync);
        api.MapPost("/", CreateAsync).AddEndpointFilter(ApiEndpointFilters.CookieCallsNeedAntiforgery);
        api.MapPost("/{id}/rollback", RollbackAsync).AddEndpointFilter(ApiEndpointFilters.CookieCallsNeedAntiforgery);
        api.MapPost("/{id}/references", ChooseReferenceAsync).AddEndpointFilter(ApiEndpointFilters.CookieCallsNeedAntiforgery);
        return endpoints;
    }

    private static async Task<IResult> GetAsync(string id, HttpContext http, IRestoreRequests requests, PlanQueries plans)
    {
        if (!Guid.TryParse(id, out var requestId))
        {
            return NotFound();
        }

        var result = await requests.GetAsync(UserId(http), requestId, http.RequestAborted);
        if (result.Decision != AccessDecision.Allowed || result.Value is not { } view)
        {
            return Denied(result.Decision);
        }

        var plan = await plans.LatestPlanAsync(requestId, http.RequestAborted);
        return TypedResults.Ok(RestoreDto.From(view, plan));
    }

    private static async Task<IResult> CreateAsync(HttpContext http, IRestoreRequests requests)
    {
        var (input, problem) = await ReadAsync(http);
        if (problem is not null)
        {
            return problem;
        }

        var result = await requests.CreateAsync(UserId(http), input!, http.RequestAborted);
        if (result.Decision != AccessDecision.Allowed)
        {
            return result.Decision == AccessDecision.Forbidden
                ? Forbidden()
                : NotFound("No such tenant, or it is not in a workspace you belong to.");
        }

        if (result.Error is { } error)
        {
            return BadRequest("Invalid restore request", error);
        }

        var dto = RestoreDto.From(result.Value!, null);
        return TypedResults.Created(dto.Links.Self, dto);
    }

    /// <summary>Creates the rollback of an executed request and starts its plan: 201 with the rollback request (the same one on a repeated call); 409 with the reason when it cannot be rolled back.</summary>
    private static async Task<IResult> RollbackAsync(string id, HttpContext http, IRestoreRollbacks rollbacks)
    {
        if (!Guid.TryParse(id, out var requestId))
        {
            return NotFound();
        }

        var result = await rollbacks.RollbackAsync(UserId(http), requestId, http.RequestAborted);
        if (result.Decision != AccessDecision.Allowed)
        {
            return Denied(result.Decision);
        }

        if (result.Error is { } error)
        {
            return TypedResults.Problem(error, statusCode: StatusCodes.Status409Conflict, title: "Cannot roll back");
        }

        var dto = RestoreDto.From(result.Value!, null);
        return TypedResults.Created(dto.Links.Self, dto);
    }

    /// <summary>
    /// One answer for the plan's dependency map: 200 with the request; 400 naming the field for a wrong body (an unknown
    /// kind lists the kinds) or with the reason when the service refuses it (not in the plan, a target object the plan did
    /// not read, a request that can no longer change).
    /// </summary>
    private static async Task<IResult> ChooseReferenceAsync(string id, HttpContext http, IRestoreRequests requests, PlanQueries plans)
    {
        if (!Guid.TryParse(id, out var requestId))
        {
            return NotFound();
        }

        var (choice, problem) = await ReadReferenceChoiceAsync(http);
        if (problem is not null)
        {
            return problem;
        }

        var result = await requests.ChooseReferenceAsync(UserId(http), requestId, choice!, http.RequestAborted);
        if (result.Decision != AccessDecision.Allowed)
        {
            return Denied(result.Decision);
        }

        if (result.Error is { } error)
        {
            return BadRequest("Reference choice refused", error);
        }

        return TypedResults.Ok(RestoreDto.From(result.Value!, await plans.LatestPlanAsync(requestId, http.RequestAborted)));
    }

    private static async Task<(ReferenceChoice? Choice, ProblemHttpResult? Problem)> ReadReferenceChoiceAsync(HttpContext http)
    {
        var (body, problem) = await ReadObjectAsync(http, ReferenceShape, ["kind", "sourceId", "action", "targetId"], "a reference choice");
        if (body is null)
        {
            return (null, problem);
        }

        var kindText = Field(body, "kind") is JsonValue k && k.TryGetValue<string>(out var kt) ? kt : null;
        var kind = Kinds.FirstOrDefault(x => string.Equals(x.Name, kindText, StringComparison.OrdinalIgnoreCase));
        if (kind.Name is null)
        {
            return (null, BadRequest("Invalid reference choice",
                $"'kind' must be one of {string.Join(", ", Kinds.Select(x => x.Name))}{(kindText is null ? "" : $" (not '{Clip(kindText)}')")}."));
        }

        var actionText = Field(body, "action") is JsonValue a && a.TryGetValue<string>(out var at) ? at : null;
        var action = Actions.FirstOrDefault(x => string.Equals(x.Name, actionText, StringComparison.OrdinalIgnoreCase));
        if (action.Name is null)
        {
            return (null, BadRequest("Invalid reference choice", $"'action' must be one of {string.Join(", ", Actions.Select(x => x.Name))}."));
        }

        if (Field(body, "sourceId") is not JsonValue s || !s.TryGetValue<string>(out var sourceId) || sourceId.Length is 0 or > 200)
        {
            return (null, BadRequest("Invalid reference choice", "'sourceId' must be the id of the reference in the source tenant, as the plan's dependency map lists it."));
        }

        string? targetId = null;
        if (Field(body, "targetId") is { } targetNode && (targetNode is not JsonValue t || !t.TryGetValue<string>(out targetId) || targetId.Length is 0 or > 200))
        {
            return (null, BadRequest("Invalid reference choice", "'targetId' must be the id of an object of the target tenant."));
        }

        if (action.Action == ReferenceAction.Map && targetId is null)
        {
            return (null, BadRequest("Invalid reference choice", "'map' needs 'targetId': the id of the object of the target tenant to use."));
        }

        return (new ReferenceChoice(kind.Kind, sourceId, action.Action, targetId), null);
    }

    /// <summary>The body as one JSON object with only the known fields, each once; otherwise the 400 that says why.</summary>
    private static async Task<(JsonObject? Body, ProblemHttpResult? Problem)> ReadObjectAsync(HttpContext http, string shape, string[] known, string what)
    {
        JsonNode? root;
        try
        {
            root = http.Request.ContentLength == 0 ? null : await JsonNode.ParseAsync(http.Request.Body, documentOptions: Parsing, cancellationToken: http.RequestAborted);
        }
        catch (JsonException)
        {
            return (null, BadRequest("Malformed JSON", $"The body is not valid JSON (a property may appear only once). Send a JSON object: {shape}."));
        }

        if (root is not JsonObject body)
        {
            return (null, BadRequest("Malformed JSON", $"The body must be a JSON object: {shape}."));
        }

        if (body.Select(p => p.Key).FirstOrDefault(k => !known.Contains(k, StringComparer.OrdinalIgnoreCase)) is { } unknown)
        {
            return (null, BadRequest("Invalid request body", $"'{Clip(unknown)}' is not a field of {what}. Fields: {string.Join(", ", known)}."));
        }

        if (body.GroupBy(p => p.Key, StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1) is { } twice)
        {
            return (null, BadRequest("Invalid request body", $"'{twice.Key}' is given more than once."));
        }

        return (body, null);
    }

    /// <summary>Reads the body field by field, so every wrong shape gets a 400 naming the field — never a serializer's message, never a 500.</summary>
    private static async Task<(NewRestoreRequest? Input, ProblemHttpResult? Problem)> ReadAsync(HttpContext http)
    {
        var (body, problem) = await ReadObjectAsync(http, Shape, ["sourceBackupSetId", "targetTenantId", "families", "itemIds", "copySuffix"], "a restore request");
        if (body is null)
        {
            return (null, problem);
        }

        if (!TryGuid(Field(body, "sourceBackupSetId"), out var setId))
        {
            return (null, BadRequest("Invalid request body", "'sourceBackupSetId' must be the GUID of a backup set."));
        }

        if (!TryGuid(Field(body, "targetTenantId"), out var tenantId))
        {
            return (null, BadRequest("Invalid request body", "'targetTenantId' must be the GUID of a tenant."));
        }

        var families = new List<string>();
        if (Field(body, "families") is { } familiesNode)
        {
            if (familiesNode is not JsonArray familyArray || familyArray.Any(f => f is not JsonValue v || !v.TryGetValue<string>(out _)))
            {
                return (null, BadRequest("Invalid request body", "'families' must be an array of family keys, e.g. [\"deviceConfigurations\"]."));
            }

            families.AddRange(familyArray.Select(f => f!.GetValue<string>()));
        }

        var itemIds = new List<long>();
        if (Field(body, "itemIds") is { } itemsNode)
        {
            if (itemsNode is not JsonArray itemArray || itemArray.Any(i => i is not JsonValue v || !v.TryGetValue<long>(out _)))
            {
                return (null, BadRequest("Invalid request body", "'itemIds' must be an array of backup item ids (whole numbers)."));
            }

            itemIds.AddRange(itemArray.Select(i => i!.GetValue<long>()));
        }

        var input = new NewRestoreRequest(setId, tenantId, families, itemIds);
        if (Field(body, "copySuffix") is { } suffixNode)
        {
            if (suffixNode is not JsonValue suffixValue || !suffixValue.TryGetValue<string>(out var suffix))
            {
                return (null, BadRequest("Invalid request body", "'copySuffix' must be a string."));
            }

            input = input with { CopySuffix = suffix };
        }

        return (input, null);
    }

    private static JsonNode? Field(JsonObject body, string name) =>
        body.FirstOrDefault(p => string.Equals(p.Key, name, StringComparison.OrdinalIgnoreCase)).Value;

    private static bool TryGuid(JsonNode? node, out Guid value)
    {
        value = Guid.Empty;
        return node is JsonValue v && v.TryGetValue<string>(out var text) && Guid.TryParse(text, out value) && value != Guid.Empty;
    }

    private static string Clip(string text) => text.Length <= 60 ? text : text[..60] + "…";

    private static Guid UserId(HttpContext http) =>
        http.User.GetUserId() ?? throw new InvalidOperationException("The API policy guarantees a signed-in user.");

    private static ProblemHttpResult Denied(AccessDecision decision) => decision == AccessDecision.Forbidden ? Forbidden() : NotFound();

    private static ProblemHttpResult NotFound(string detail = "No such restore request, or it is not in a workspace you belong to.") =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status404NotFound, title: "Not found");

    private static ProblemHttpResult Forbidden() =>
        TypedResults.Problem("Your role in this workspace does not include restores.", statusCode: StatusCodes.Status403Forbidden, title: "Forbidden");

    private static ProblemHttpResult BadRequest(string title, string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status400BadRequest, title: title);
}

/// <summary>A restore request as the API answers it.</summary>
internal sealed record RestoreDto(
    Guid Id,
    string State,
    Guid TargetTenantId,
    string TargetTenantName,
    Guid SourceTenantId,
    Guid SourceBackupSetId,
    IReadOnlyList<string> Families,
    IReadOnlyList<long> ItemIds,
    string CopySuffix,
    string CreatedBy,
    DateTimeOffset CreatedAt,
    Guid? RollbackOfRequestId,
    long? PlanRunId,
    long? ExecuteRunId,
    RestorePlanDto? Plan,
    RestoreLinksDto Links)
{
    public static RestoreDto From(RestoreRequestView view, PlanReview? plan) => new(
        view.Id,
        JsonNamingPolicy.SnakeCaseLower.ConvertName(view.State.ToString()),
        view.TargetTenantId,
        view.TargetTenantName,
        view.SourceTenantId,
        view.SourceBackupSetId,
        view.Families,
        view.ItemIds,
        view.CopySuffix,
        view.CreatedBy,
        view.CreatedAt,
        view.RollbackOfRequestId,
        view.PlanRunId,
        view.ExecuteRunId,
        plan is null ? null : new RestorePlanDto(
            plan.PlanId, plan.OperationRunId, plan.CreatedAt, plan.Freshness.IsStale, plan.Freshness.Reasons,
            plan.Creates, plan.Updates, plan.Identical, plan.Conflicts, plan.Blocked, plan.Blockers.Count()),
        new RestoreLinksDto(
            $"/api/restores/{view.Id}",
            $"/admin/restores/{view.Id}",
            view.PlanRunId is { } planRun ? $"/api/operations/{planRun}" : null,
            view.ExecuteRunId is { } executeRun ? $"/api/operations/{executeRun}" : null));
}

/// <summary>The request's newest plan: the id <c>restore.execute</c> executes, its counts, and whether it must be planned again.</summary>
internal sealed record RestorePlanDto(
    Guid Id,
    long RunId,
    DateTimeOffset CreatedAt,
    bool Stale,
    IReadOnlyList<string> StaleReasons,
    int Creates,
    int Updates,
    int Identical,
    int Conflicts,
    int Blocked,
    int UnresolvedReferences);

internal sealed record RestoreLinksDto(string Self, string Page, string? PlanRun, string? ExecuteRun);
