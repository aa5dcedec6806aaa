using System.Text.Json.Nodes;

namespace TenantAtlas.Operations.Contracts;

/// <summary>
/// What an operation type accepts as inputs, declared by the module that owns the type
/// (<see cref="OperationsRegistration.AddOperationInputs{TValidator}"/>). The starter asks it after the caller's access to
/// the tenant is decided (a caller without access learns nothing about inputs) and before a run or an audit entry exists:
/// a refused start writes nothing. Jobs can then rely on their inputs instead of failing later.
/// </summary>
public interface IOperationInputsValidator
{
    Task<InputsVerdict> ValidateAsync(OperationStart start, CancellationToken cancellationToken = default);
}

/// <summary>
/// A start about to be created: the tenant (and its workspace) as resolved by the starter, the inputs it will store (never
/// null), the request as given, and for a retry the run it retries (already checked: same tenant, a type that retries
/// into this one, failed or partially succeeded).
/// </summary>
public sealed record OperationStart(string Type, Guid WorkspaceId, Guid TenantId, JsonObject Inputs, StartRequest Request, OperationRunView? RetryOf);

public enum InputsVerdictKind
{
    Valid,

    /// <summary>The inputs are missing, of the wrong shape or too large: 400, with a message naming the input.</summary>
    Malformed,

    /// <summary>An input names something the caller cannot see, or that does not exist (the same answer): 404.</summary>
    NotFound,
}

public sealed record InputsVerdict(InputsVerdictKind Kind, string? Message = null, JsonObject? Normalized = null)
{
    public static InputsVerdict Valid { get; } = new(InputsVerdictKind.Valid);

    /// <summary>Valid, and stored as <paramref name="normalized"/> (one spelling of an id, say), not as given.</summary>
    public static InputsVerdict ValidAs(JsonObject normalized) => new(InputsVerdictKind.Valid, Normalized: normalized);

    public static InputsVerdict Malformed(string message) => new(InputsVerdictKind.Malformed, message);

    public static InputsVerdict NotFound(string message) => new(InputsVerdictKind.NotFound, message);
}

/// <summary>
/// Reading stored inputs without trusting their shape: a run stored before its type validated its inputs (or edited by
/// hand) may hold a number where a string is expected. These never throw; an unexpected shape reads as absent.
/// </summary>
public static class OperationInputs
{
    /// <summary>The input's value when it is a JSON string; null when it is absent, null or of another shape.</summary>
    public static string? GetString(this JsonObject inputs, string key)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        return inputs.TryGetPropertyValue(key, out var node) && node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
    }

    /// <summary>The input's value when it is a string holding a GUID; null otherwise.</summary>
    public static Guid? GetGuid(this JsonObject inputs, string key) =>
        Guid.TryParse(inputs.GetString(key), out var id) ? id : null;
}
