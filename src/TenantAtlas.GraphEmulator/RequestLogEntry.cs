namespace TenantAtlas.GraphEmulator;

/// <summary>
/// One request the emulator answered. Kind is "graph" (a Graph call or a $batch item), "token" (the token
/// endpoint) or "metadata" (OpenID configuration, instance discovery, keys).
/// </summary>
public sealed record RequestLogEntry(
    long Sequence,
    DateTimeOffset Timestamp,
    string Kind,
    string Method,
    string PathAndQuery,
    string? TenantId,
    string? AppId,
    int Status,
    bool IsBatchItem,
    string? ClientRequestId,
    string RequestId,
    string? FaultId);
