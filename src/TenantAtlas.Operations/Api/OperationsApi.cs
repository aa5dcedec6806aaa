using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using TenantAtlas.Access.Contracts;
using TenantAtlas.Operations.Contracts;
using TenantAtlas.Operations.Runs;

namespace TenantAtlas.Operations.Api;

/// <summary>
/// The runs API for automation. Personal access tokens (Bearer) or the sign-in cookie; 401 without either; the same
/// 404/403 rules as the viewer; ProblemDetails for errors. A state-changing call authenticated by cookie needs an
/// antiforgery token (header <c>RequestVerificationToken</c>); token calls do not.
/// </summary>
internal static class OperationsApi
{
    public static IEndpointRouteBuilder MapOperationsApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/api/operations").RequireAuthorization(AccessSchemes.ApiPolicy).DisableAntiforgery();
        api.MapGet("/{id}", GetAsync);
        api.MapGet("/", ListAsync);
        api.MapPost("/", StartAsync).AddEndpointFilter(ApiEndpointFilters.CookieCallsNeedAntiforgery);
        api.MapPost("/{id}/cancel", CancelAsync).AddEndpointFilter(ApiEndpointFilters.CookieCallsNeedAntiforgery);
        return endpoints;
    }

    private static async Task<IResult> GetAsync(string id, HttpContext http, IOperationRuns runs, OperationTypeRegistry registry)
    {
        if (!long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var runId))
        {
            return NotFound();
        }

        var (decision, run) = await runs.GetForUserAsync(UserId(http), runId, http.RequestAborted);
        return decision switch
        {
            AccessDecision.Allowed => TypedResults.Ok(RunDto.From(run!, registry)),
            AccessDecision.Forbidden => Forbidden(),
            _ => NotFound(),
        };
    }

    private static async Task<IResult> ListAsync(HttpContext http, IOperationRunQueries queries, OperationTypeRegistry registry)
    {
        var query = http.Request.Query;
        var errors = new Dictionary<string, string[]>();
        T? Parse<T>(string key, Func<string, T?> parse, string expected)
            where T : struct
        {
            var raw = query[key].ToString();
            if (string.IsNullOrEmpty(raw))
            {
                return null;
            }

            var value = parse(raw);
            if (value is null)
            {
                errors[key] = [$"'{raw}' is not {expected}."];
            }

            return value;
        }

        var filter = new RunFilter
        {
            WorkspaceId = Parse("workspaceId", s => Guid.TryParse(s, out var g) ? g : (Guid?)null, "a GUID"),
            TenantId = Parse("tenantId", s => Guid.TryParse(s, out var g) ? g : (Guid?)null, "a GUID"),
            Type = query["type"].ToString() is { Length: > 0 } t ? t : null,
            Status = Parse("status", s => Enum.GetValues<OperationRunStatus>().Cast<OperationRunStatus?>().FirstOrDefault(v => v!.Value.ToWire() == s), "queued, running or completed"),
            Outcome = Parse("outcome", s => Enum.GetValues<OperationRunOutcome>().Cast<OperationRunOutcome?>().FirstOrDefault(v => v!.Value.ToWire() == s), "pending, succeeded, partially_succeeded, failed or cancelled"),
            Initiator = query["initiator"].ToString() is { Length: > 0 } i ? i : null,
            Origin = Parse("origin", s => s switch { "live" => RunOrigin.Live, "legacy" => RunOrigin.Legacy, _ => (RunOrigin?)null }, "live or legacy"),
            From = Parse("from", s => DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var d) ? d : (DateTimeOffset?)null, "an ISO 8601 time"),
            To = Parse("to", s => DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var d) ? d : (DateTimeOffset?)null, "an ISO 8601 time"),
        };
        var cursor = Parse("cursor", s => long.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var c) ? c : (long?)null, "a cursor from a previous page");
        var limit = Parse("limit", s => int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var l) && l is >= 1 and <= OperationRunQueriesLimit ? l : (int?)null, $"a number from 1 to {OperationRunQueriesLimit}") ?? 50;
        if (filter.Type is { } type && registry.Find(type) is null)
        {
            errors["type"] = [$"Unknown operation type '{type}'."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "Invalid filter");
        }

        var page = await queries.ListAsync(UserId(http), filter, cursor, limit, http.RequestAborted);
        string? next = null;
        if (page.NextCursor is { } nextCursor)
        {
            var parameters = query.Where(q => q.Key != "cursor").Select(q => $"{q.Key}={Uri.EscapeDataString(q.Value.ToString())}").Append($"cursor={nextCursor}");
            next = "/api/operations?" + string.Join("&", parameters);
        }

        return TypedResults.Ok(new RunListDto([.. page.Items.Select(r => RunDto.From(r, registry))], page.NextCursor, next));
    }

    private const int OperationRunQueriesLimit = Monitoring.OperationRunQueries.MaxLimit;

    private static async Task<IResult> StartAsync(HttpContext http, IOperationRuns runs, OperationTypeRegistry registry)
    {
        var (body, problem) = await StartBody.ReadAsync(http);
        if (problem is not null)
        {
            return problem;
        }

        var result = await runs.StartAsync(Actor.User(UserId(http)), new StartRequest(body!.Type, body.TenantId)
        {
            Inputs = body.Inputs,
            RestoreRequestId = body.RestoreRequestId,
            RetryOfRunId = body.RetryOfRunId,
        }, http.RequestAborted);
        if (result.Decision != AccessDecision.Allowed)
        {
            return result.Decision == AccessDecision.Forbidden ? Forbidden() : NotFound(result.Message ?? "No such tenant, or it is not in a workspace you belong to.");
        }

        if (result.Refusal != StartRefusal.None)
        {
            return BadRequest(result.Refusal switch
            {
                StartRefusal.UnknownType => "Unknown operation type",
                StartRefusal.SystemOnly => "System-only operation type",
                StartRefusal.NoJob => "Operation type not available",
                _ => "Invalid input",
            }, result.Message!);
        }

        var dto = RunDto.From(result.Run!, registry);
        return result.Created ? TypedResults.Created(dto.Links.Self, dto) : TypedResults.Ok(dto);
    }

    private static async Task<IResult> CancelAsync(string id, HttpContext http, IOperationRuns runs, OperationTypeRegistry registry)
    {
        if (!long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var runId))
        {
            return NotFound();
        }

        var result = await runs.CancelAsync(Actor.User(UserId(http)), runId, http.RequestAborted);
        if (result.Decision != AccessDecision.Allowed)
        {
            return result.Decision == AccessDecision.Forbidden ? Forbidden() : NotFound();
        }

        var run = (await runs.FindAsync(runId, http.RequestAborted))!;
        return result.Done
            ? TypedResults.Ok(new CancelDto(runId, true, result.Message, RunDto.From(run, registry)))
            : TypedResults.Problem(result.Message, statusCode: StatusCodes.Status409Conflict, title: "Nothing to cancel");
    }

    private static Guid UserId(HttpContext http) =>
        http.User.GetUserId() ?? throw new InvalidOperationException("The API policy guarantees a signed-in user.");

    private static ProblemHttpResult NotFound(string detail = "No such run, or it is not in a workspace you belong to.") =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status404NotFound, title: "Not found");

    private static ProblemHttpResult Forbidden() =>
        TypedResults.Problem("Your role in this workspace does not include this operation type.", statusCode: StatusCodes.Status403Forbidden, title: "Forbidden");

    internal static ProblemHttpResult BadRequest(string title, string detail) =>
        TypedResults.Problem(detail, statusCode: StatusCodes.Status400BadRequest, title: title);
}
