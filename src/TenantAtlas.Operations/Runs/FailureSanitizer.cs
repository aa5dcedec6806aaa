using TenantAtlas.BuildingBlocks.Errors;

namespace TenantAtlas.Operations.Runs;

/// <summary>Failure messages end up in the database and on screens: strip anything that looks like a credential, cap the length.</summary>
internal static class FailureSanitizer
{
    public const int MaxMessageLength = 1000;
    public const int MaxCodeLength = 100;
    public const int MaxItemLength = 300;

    public static string Message(string? message) => SecretRedactor.Cap(SecretRedactor.Redact(message).Trim(), MaxMessageLength);

    public static string Code(string? code) => SecretRedactor.Cap(string.IsNullOrWhiteSpace(code) ? "error" : code.Trim(), MaxCodeLength);

    public static string? Item(string? item) => item is null ? null : SecretRedactor.Cap(Message(item), MaxItemLength);
}
