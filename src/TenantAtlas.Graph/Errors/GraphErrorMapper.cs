using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Azure;
using Azure.Identity;
using Microsoft.Graph.Models.ODataErrors;
using Microsoft.Identity.Client;
using Microsoft.Kiota.Abstractions;
using TenantAtlas.Graph.Contracts;

namespace TenantAtlas.Graph.Errors;

/// <summary>
/// Turns whatever the SDK stack throws into <see cref="GraphRequestException"/>: <c>ODataError</c> (Graph's envelope was
/// parsed), a bare <c>ApiException</c>, the retry handler's <c>AggregateException</c> of <c>ApiException</c>s (retries
/// exhausted — never an <c>ODataError</c>), Azure.Identity's <c>AuthenticationFailedException</c> (AADSTS code on the inner
/// <c>MsalServiceException</c>), transport failures and timeouts.
/// </summary>
internal static partial class GraphErrorMapper
{
    public static GraphRequestException Map(Exception exception, Guid? tenantId, string? resourceKey)
    {
        var mapped = exception switch
        {
            GraphRequestException known => known,
            ODataError odata => FromODataError(odata),
            AggregateException aggregate when aggregate.Flatten().InnerExceptions.OfType<ApiException>().LastOrDefault() is { } last =>
                FromApiException(last, aggregate, retriesExhausted: true),
            ApiException api => FromApiException(api, api, retriesExhausted: false),
            CredentialUnavailableException unavailable => new GraphRequestException(
                GraphFailureKind.Authentication, "credentialUnavailable", GraphText.Sanitize(unavailable.Message), innerException: unavailable),
            AuthenticationFailedException auth => FromAuthentication(auth),
            CryptographicException crypto => new GraphRequestException(
                GraphFailureKind.TenantNotConfigured, "secretUnreadable", "The stored client secret cannot be decrypted.", innerException: crypto),
            HttpRequestException http => new GraphRequestException(
                GraphFailureKind.Unavailable, "transportError", "Graph could not be reached: " + GraphText.Sanitize(http.Message),
                isRetryable: true, innerException: http),
            TaskCanceledException timeout => new GraphRequestException(
                GraphFailureKind.Unavailable, "timeout", "The Graph request timed out.", isRetryable: true, innerException: timeout),
            _ => new GraphRequestException(
                GraphFailureKind.Unknown, "unexpectedError", GraphText.Sanitize(exception.Message), innerException: exception),
        };
        return With(mapped, tenantId, resourceKey);
    }

    /// <summary>A <c>$batch</c> item's failure (its status, headers and Graph error envelope).</summary>
    public static GraphRequestException FromBatchItem(int status, JsonObject? body, IReadOnlyDictionary<string, string> headers, Guid tenantId, string? resourceKey)
    {
        var error = body?["error"] as JsonObject;
        var requestId = Str(error?["innerError"]?["request-id"]) ?? headers.GetValueOrDefault("request-id");
        return With(FromStatus(status, Str(error?["code"]), Str(error?["message"]), requestId, RetryAfter(headers.GetValueOrDefault("Retry-After")), null, false), tenantId, resourceKey);
    }

    private static GraphRequestException FromODataError(ODataError odata)
    {
        var headers = odata.ResponseHeaders;
        var requestId = odata.Error?.InnerError?.RequestId ?? Header(headers, "request-id");
        return FromStatus(odata.ResponseStatusCode, odata.Error?.Code, odata.Error?.Message, requestId, RetryAfter(Header(headers, "Retry-After")), odata, false);
    }

    private static GraphRequestException FromApiException(ApiException api, Exception original, bool retriesExhausted)
    {
        // The retry handler's ApiException message is "HTTP request failed with status code: X.{body}": the envelope is in there.
        string? code = null;
        string? message = null;
        string? requestId = Header(api.ResponseHeaders, "request-id");
        var brace = api.Message.IndexOf('{', StringComparison.Ordinal);
        if (brace >= 0)
        {
            try
            {
                if (JsonNode.Parse(api.Message[brace..]) is JsonObject { } envelope && envelope["error"] is JsonObject error)
                {
                    code = Str(error["code"]);
                    message = Str(error["message"]);
                    requestId ??= Str(error["innerError"]?["request-id"]);
                }
            }
            catch (System.Text.Json.JsonException)
            {
                // Not Graph's envelope; fall back to the status.
            }
        }

        return FromStatus(api.ResponseStatusCode, code, message, requestId, RetryAfter(Header(api.ResponseHeaders, "Retry-After")), original, retriesExhausted);
    }

    private static GraphRequestException FromStatus(
        int status, string? code, string? message, string? requestId, TimeSpan? retryAfter, Exception? inner, bool retriesExhausted)
    {
        var (kind, retryable) = status switch
        {
            429 => (GraphFailureKind.Throttled, true),
            408 or 500 or 502 or 503 or 504 => (GraphFailureKind.Unavailable, true),
            404 => (GraphFailureKind.NotFound, false),
            403 => (GraphFailureKind.Forbidden, false),
            401 => (GraphFailureKind.Authentication, false),
            409 or 412 => (GraphFailureKind.Conflict, false),
            410 => (GraphFailureKind.DeltaExpired, false),
            >= 400 and < 500 => (GraphFailureKind.BadRequest, false),
            _ => (GraphFailureKind.Unknown, false),
        };
        var errorCode = string.IsNullOrWhiteSpace(code) ? $"http{status}" : code.Trim();
        var text = GraphText.UnwrapIntuneMessage(message);
        if (status is 400 or 403 && IsApprovalRequired(errorCode, text))
        {
            return new GraphRequestException(GraphFailureKind.ApprovalRequired, GraphErrorCodes.ApprovalRequired, ApprovalRequiredMessage, status, requestId, isRetryable: false, innerException: inner);
        }

        var summary = $"Graph answered {status} {errorCode}" + (text.Length > 0 ? ": " + text : ".")
                      + (retriesExhausted ? " (after the SDK's retries)" : "");
        if (kind == GraphFailureKind.DeltaExpired)
        {
            return new GraphDeltaExpiredException(errorCode, GraphText.Sanitize(summary + " Read all groups again."), status, requestId, inner);
        }

        return new GraphRequestException(kind, errorCode, GraphText.Sanitize(summary), status, requestId, retryable, retryAfter, inner);
    }

    /// <summary>The product's words for a write Intune holds back under Multi Admin Approval.</summary>
    public const string ApprovalRequiredMessage =
        "Waiting for approval in Intune: a Multi Admin Approval access policy protects this object in the tenant, so Intune did not make the change. "
        + "Have it approved in Intune (or exclude the TenantAtlas app from the access policy), then try again.";

    /// <summary>
    /// Intune's Multi Admin Approval refusal of an app-only write: Microsoft documents a 403 (earlier 400) whose body
    /// says the operation requires approval; Intune's message names the missing approval header
    /// (<c>x-msft-approval-justification</c>), and some answers carry the code <c>ApprovalRequired</c>.
    /// </summary>
    private static bool IsApprovalRequired(string code, string message) =>
        code.Equals("ApprovalRequired", StringComparison.OrdinalIgnoreCase)
        || message.Contains("x-msft-approval-justification", StringComparison.OrdinalIgnoreCase)
        || message.Contains("Multi Admin Approval", StringComparison.OrdinalIgnoreCase);

    private static GraphRequestException FromAuthentication(AuthenticationFailedException auth)
    {
        if (auth.InnerException is MsalServiceException msal)
        {
            var aadsts = Aadsts().Match(msal.Message);
            var code = aadsts.Success ? "AADSTS" + aadsts.Groups[1].Value : msal.ErrorCode;
            var transient = msal.StatusCode is 429 or >= 500;
            return new GraphRequestException(
                transient ? GraphFailureKind.Unavailable : GraphFailureKind.Authentication,
                code,
                GraphText.Sanitize("Sign-in failed: " + GraphText.AadstsSummary(msal.Message)),
                msal.StatusCode == 0 ? null : msal.StatusCode,
                msal.CorrelationId,
                transient,
                innerException: auth);
        }

        var transport = auth.InnerException is AggregateException aggregate
            ? aggregate.InnerExceptions.All(IsTransport) ? aggregate.InnerExceptions.LastOrDefault() : null
            : auth.InnerException is { } single && IsTransport(single) ? single : null;
        if (transport is not null)
        {
            return new GraphRequestException(
                GraphFailureKind.Unavailable, "authorityUnreachable",
                "The sign-in authority could not be reached: " + GraphText.Sanitize(Innermost(transport).Message), isRetryable: true, innerException: auth);
        }

        return new GraphRequestException(
            GraphFailureKind.Authentication, "authenticationFailed",
            GraphText.Sanitize("Sign-in failed: " + (auth.InnerException?.Message ?? auth.Message)), innerException: auth);
    }

    private static bool IsTransport(Exception e) =>
        e is RequestFailedException { Status: 0 } or HttpRequestException or MsalClientException { ErrorCode: "request_timeout" };

    private static Exception Innermost(Exception e)
    {
        while (e.InnerException is not null)
        {
            e = e.InnerException;
        }

        return e;
    }

    private static GraphRequestException With(GraphRequestException e, Guid? tenantId, string? resourceKey)
    {
        if (e.TenantId is not null || (tenantId is null && resourceKey is null))
        {
            return e;
        }

        return e is GraphDeltaExpiredException
            ? new GraphDeltaExpiredException(e.ErrorCode, e.Message, e.HttpStatus, e.RequestId, e.InnerException) { TenantId = tenantId, ResourceKey = e.ResourceKey ?? resourceKey }
            : new GraphRequestException(e.Kind, e.ErrorCode, e.Message, e.HttpStatus, e.RequestId, e.IsRetryable, e.RetryAfter, e.InnerException)
            {
                TenantId = tenantId,
                ResourceKey = e.ResourceKey ?? resourceKey,
            };
    }

    private static string? Header(IDictionary<string, IEnumerable<string>>? headers, string name) =>
        headers?.FirstOrDefault(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Value?.FirstOrDefault();

    private static TimeSpan? RetryAfter(string? value)
    {
        if (value is null)
        {
            return null;
        }

        if (int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var seconds))
        {
            return TimeSpan.FromSeconds(seconds);
        }

        return DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
            ? at - DateTimeOffset.UtcNow is var delta && delta > TimeSpan.Zero ? delta : TimeSpan.Zero
            : null;
    }

    private static string? Str(JsonNode? node) => node is JsonValue value && value.TryGetValue<string>(out var s) ? s : null;

    [GeneratedRegex(@"AADSTS(\d+)")]
    private static partial Regex Aadsts();
}
