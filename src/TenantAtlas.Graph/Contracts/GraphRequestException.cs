namespace TenantAtlas.Graph.Contracts;

/// <summary>What went wrong, in the terms a run's failure entry and a retry decision need.</summary>
public enum GraphFailureKind
{
    /// <summary>429 after the SDK's retries (or a <c>$batch</c> item still throttled after ours).</summary>
    Throttled,

    /// <summary>5xx, a timeout or a network failure.</summary>
    Unavailable,

    NotFound,

    /// <summary>403: the app lacks a permission (see the message for which).</summary>
    Forbidden,

    /// <summary>Signing in failed (AADSTS…), or Graph rejected the token (401).</summary>
    Authentication,

    /// <summary>400 and other client errors Graph rejected.</summary>
    BadRequest,

    Conflict,

    /// <summary>A groups delta link is expired or unknown (410): read again without it.</summary>
    DeltaExpired,

    /// <summary>The request is not in the contract registry; nothing was sent.</summary>
    NotInRegistry,

    /// <summary>The tenant does not exist or has no usable credential; nothing was sent.</summary>
    TenantNotConfigured,

    /// <summary>No work slot for the tenant became free in time.</summary>
    TenantBusy,

    Unknown,

    /// <summary>
    /// Intune refused a write because a Multi Admin Approval access policy protects the object (error code
    /// <see cref="GraphErrorCodes.ApprovalRequired"/>): waiting for approval in Intune. Never retried.
    /// </summary>
    ApprovalRequired,
}

/// <summary>Error codes of ours that callers branch on (Graph's own codes pass through unchanged).</summary>
public static class GraphErrorCodes
{
    /// <summary>A write waits for Multi Admin Approval in Intune (<see cref="GraphFailureKind.ApprovalRequired"/>).</summary>
    public const string ApprovalRequired = "intuneApprovalRequired";
}

/// <summary>
/// The one failure shape of every Graph call, whatever the SDK threw (<c>ODataError</c>, Kiota's <c>ApiException</c>,
/// the retry handler's <c>AggregateException</c>, Azure.Identity's <c>AuthenticationFailedException</c>, transport errors).
/// <see cref="Exception.Message"/> is sanitized (no tokens, secrets or connection strings) and capped, fit for a run's
/// failure entry as <c>(ErrorCode, Message)</c>.
/// </summary>
public class GraphRequestException : Exception, TenantAtlas.BuildingBlocks.Errors.IHasErrorCode
{
    public GraphRequestException(
        GraphFailureKind kind,
        string errorCode,
        string message,
        int? httpStatus = null,
        string? requestId = null,
        bool isRetryable = false,
        TimeSpan? retryAfter = null,
        Exception? innerException = null)
        : base(message, innerException)
    {
        Kind = kind;
        ErrorCode = errorCode;
        HttpStatus = httpStatus;
        RequestId = requestId;
        IsRetryable = isRetryable;
        RetryAfter = retryAfter;
    }

    public GraphFailureKind Kind { get; }

    /// <summary>Graph's error code (<c>TooManyRequests</c>, <c>Request_ResourceNotFound</c>, <c>Forbidden</c>…), the AADSTS code for sign-in failures, or ours (<c>notInRegistry</c>, <c>tenantNotFound</c>…).</summary>
    public string ErrorCode { get; }

    public int? HttpStatus { get; }

    /// <summary>Graph's <c>request-id</c> (what Microsoft support asks for), when Graph answered.</summary>
    public string? RequestId { get; }

    /// <summary>Trying again later may succeed (throttling, 5xx, timeouts, a busy tenant).</summary>
    public bool IsRetryable { get; }

    public TimeSpan? RetryAfter { get; }

    public Guid? TenantId { get; init; }

    /// <summary>The registry key of the resource the call was about, when there is one.</summary>
    public string? ResourceKey { get; init; }
}

/// <summary>The stored groups delta link no longer works (410 Gone, or it points at another endpoint): read all groups again.</summary>
public sealed class GraphDeltaExpiredException(string errorCode, string message, int? httpStatus = null, string? requestId = null, Exception? innerException = null)
    : GraphRequestException(GraphFailureKind.DeltaExpired, errorCode, message, httpStatus, requestId, isRetryable: false, retryAfter: null, innerException);
