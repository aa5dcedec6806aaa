using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using TenantAtlas.Access.Contracts;
using TenantAtlas.Operations.Contracts;

namespace TenantAtlas.Testing.Operations;

/// <summary>Test-only operation types (the real jobs arrive with their features) and a job the tests steer.</summary>
public static class TestOperations
{
    public const string Sync = "test.sync";
    public const string Click = "test.click";
    public const string Scheduled = "test.scheduled";

    /// <summary>A type no job is registered for (every product type has its job now).</summary>
    public const string NoJob = "test.nojob";

    public static IServiceCollection AddTestOperations(this IServiceCollection services)
    {
        services.AddOperationType(new OperationTypeDefinition(Sync, "Test sync", IdentityRule.Dedupe, Capability.TenantInventorySync, UserStartable: true));
        services.AddOperationType(new OperationTypeDefinition(Click, "Test click", IdentityRule.UniquePerClick, Capability.TenantBackupsRun, UserStartable: true, RetryType: Click));
        services.AddOperationType(new OperationTypeDefinition(Scheduled, "Test scheduled", IdentityRule.StrictSchedule, Capability.TenantBackupsRun, UserStartable: false));
        services.AddOperationType(new OperationTypeDefinition(NoJob, "Test without a job", IdentityRule.Dedupe, Capability.TenantInventorySync, UserStartable: true));
        services.AddSingleton<TestJobControl>();
        services.AddOperationJob<ControlledJob>(Sync);
        services.AddOperationJob<ControlledJob>(Click);
        services.AddOperationJob<ControlledJob>(Scheduled);
        return services;
    }
}

/// <summary>What a <see cref="ControlledJob"/> does for a run: by default it reports counts and succeeds at once.</summary>
public sealed class TestJobControl
{
    private readonly ConcurrentDictionary<long, TaskCompletionSource> releases = new();
    private readonly ConcurrentDictionary<long, int> executions = new();

    /// <summary>When set, every run waits here until <see cref="Release"/> is called for it.</summary>
    public bool Hold { get; set; }

    public Func<IOperationRunContext, Task<OperationJobResult>>? Behaviour { get; set; }

    public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public int ExecutionsOf(long runId) => executions.GetValueOrDefault(runId);

    public void Release(long runId) => releases.GetOrAdd(runId, _ => new(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();

    internal async Task<OperationJobResult> RunAsync(IOperationRunContext run, CancellationToken ct)
    {
        executions.AddOrUpdate(run.RunId, 1, (_, n) => n + 1);
        Started.TrySetResult();
        run.Set(OperationSummaryKeys.Total, 10);
        run.Set(OperationSummaryKeys.Processed, 0);
        await run.ReportProgressAsync(ct);
        if (Hold)
        {
            await releases.GetOrAdd(run.RunId, _ => new(TaskCreationOptions.RunContinuationsAsynchronously)).Task.WaitAsync(ct);
        }

        if (Behaviour is { } behaviour)
        {
            return await behaviour(run);
        }

        run.Set(OperationSummaryKeys.Processed, 10);
        run.Set(OperationSummaryKeys.Succeeded, 10);
        return OperationJobResult.Succeeded;
    }
}

internal sealed class ControlledJob(TestJobControl control) : IOperationJob
{
    public Task<OperationJobResult> RunAsync(IOperationRunContext run, CancellationToken cancellationToken) => control.RunAsync(run, cancellationToken);
}
