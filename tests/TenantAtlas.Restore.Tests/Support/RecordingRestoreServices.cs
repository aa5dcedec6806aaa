using System.Collections.Concurrent;

namespace TenantAtlas.Restore.Tests.Support;

/// <summary>
/// Test double for the page tests only: the real execute engine is on another branch. Records what the page asked for and
/// answers as the test says (by default a refusal, so a click can never be mistaken for a started restore).
/// </summary>
public sealed class RecordingRestoreExecutions : IRestoreExecutions
{
    public const string DefaultRefusal = "Refused by the test double: nothing was started.";

    public ConcurrentQueue<(Guid UserId, Guid RequestId, Guid PlanId)> Calls { get; } = new();

    public Func<Guid, Guid, Guid, RestoreResult<StartResult>> Answer { get; set; } = (_, _, _) => RestoreResult.Refused<StartResult>(DefaultRefusal);

    public Task<RestoreResult<StartResult>> ExecuteAsync(Guid userId, Guid requestId, Guid planId, CancellationToken cancellationToken = default)
    {
        Calls.Enqueue((userId, requestId, planId));
        return Task.FromResult(Answer(userId, requestId, planId));
    }
}

/// <summary>Test double for the page tests only: records the rollback asked for and answers as the test says.</summary>
public sealed class RecordingRestoreRollbacks : IRestoreRollbacks
{
    public const string DefaultRefusal = "Refused by the test double: no rollback was created.";

    public ConcurrentQueue<(Guid UserId, Guid RequestId)> Calls { get; } = new();

    public Func<Guid, Guid, Task<RestoreResult<RestoreRequestView>>> Answer { get; set; } =
        (_, _) => Task.FromResult(RestoreResult.Refused<RestoreRequestView>(DefaultRefusal));

    public Task<RestoreResult<RestoreRequestView>> RollbackAsync(Guid userId, Guid requestId, CancellationToken cancellationToken = default)
    {
        Calls.Enqueue((userId, requestId));
        return Answer(userId, requestId);
    }
}
