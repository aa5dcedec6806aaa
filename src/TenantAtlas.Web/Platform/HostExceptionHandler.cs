using System.Diagnostics;
using Microsoft.AspNetCore.Diagnostics;
using TenantAtlas.BuildingBlocks.Database;

namespace TenantAtlas.Web.Platform;

/// <summary>
/// What an unhandled exception means to the caller, decided in one place for the API and the pages: the database being
/// unavailable (503, it recovers by itself), a request the server could not read (the client's 4xx), or a fault of ours (500).
/// </summary>
internal sealed record HostFailure(int Status, string Title, string Detail)
{
    /// <summary>Seconds a client should wait before retrying while the database is unavailable.</summary>
    public const int RetryAfterSeconds = 10;

    public bool DatabaseUnavailable => Status == StatusCodes.Status503ServiceUnavailable;

    /// <summary>The reference people give their administrator: it is in the log entry of the failure.</summary>
    public static string Reference(HttpContext? context) => Activity.Current?.Id ?? context?.TraceIdentifier ?? "";

    public static HostFailure Of(Exception? exception, HttpContext? context) => exception switch
    {
        _ when DatabaseFailures.IsUnavailable(exception) => new(
            StatusCodes.Status503ServiceUnavailable,
            "Database unavailable",
            "TenantAtlas cannot reach its database right now. Nothing was changed; this works again by itself once the database is back — retry in a few seconds."),
        BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } => new(
            StatusCodes.Status413PayloadTooLarge, "Request too large", "The request body is larger than this server accepts."),
        // Kestrel's own status: 408 when the body stopped short of its Content-Length (or came too slowly), 400 otherwise.
        BadHttpRequestException { StatusCode: StatusCodes.Status408RequestTimeout } => new(
            StatusCodes.Status408RequestTimeout,
            "Request timeout",
            "The request body could not be read: it did not arrive in time — it is shorter than its Content-Length, or it was sent too slowly."),
        BadHttpRequestException bad => new(
            bad.StatusCode,
            "Bad request",
            "The request body could not be read: its framing is malformed (for example an invalid chunk size)."),
        _ => new(
            StatusCodes.Status500InternalServerError,
            "Something went wrong",
            $"The error was logged. If it keeps happening, give this reference to your administrator: {Reference(context)}"),
    };
}

/// <summary>
/// Runs inside the exception handler middleware for every unhandled exception: sets the status <see cref="HostFailure"/>
/// chooses (and Retry-After during a database outage), answers <c>/api</c> with ProblemDetails itself, and leaves pages to
/// the re-executed <c>/error</c> page, which words the same failure for people.
/// </summary>
internal sealed class HostExceptionHandler : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var failure = HostFailure.Of(exception, httpContext);
        httpContext.Response.StatusCode = failure.Status;
        if (failure.DatabaseUnavailable)
        {
            httpContext.Response.Headers.RetryAfter = HostFailure.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        // The middleware has already pointed the request at /error; the feature keeps the path that failed.
        var path = new PathString(httpContext.Features.Get<IExceptionHandlerPathFeature>()?.Path ?? httpContext.Request.Path);
        if (!path.StartsWithSegments("/api"))
        {
            return false;
        }

        await TypedResults.Problem(failure.Detail, statusCode: failure.Status, title: failure.Title).ExecuteAsync(httpContext);
        return true;
    }
}
