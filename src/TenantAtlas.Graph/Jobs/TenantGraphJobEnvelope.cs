using TenantAtlas.Graph.Contracts;
using TenantAtlas.Graph.Contracts.Jobs;
using TenantAtlas.Operations.Contracts;

namespace TenantAtlas.Graph.Jobs;

/// <summary>The frame of <see cref="ITenantGraphJobEnvelope"/>; the order of its steps is the contract, see there.</summary>
internal sealed class TenantGraphJobEnvelope(IGraphCallMetrics metrics, IGraphTenantSlots slots) : ITenantGraphJobEnvelope
{
    public async Task<TenantGraphWorkEnd> RunAsync(IOperationRunContext run, TenantGraphWork work, CancellationToken cancellationToken)
    {
        if (run.TenantId is not { } tenantId)
        {
            await run.AddFailureAsync("invalid_input", "The run names no tenant.", cancellationToken: cancellationToken);
            return TenantGraphWorkEnd.NoTenant;
        }

        if (work.BeforeSlot is { } beforeSlot)
        {
            await beforeSlot(cancellationToken);
        }

        using var calls = metrics.BeginScope();
        try
        {
            // Taken inside the scope and the catch: a busy tenant is reported like any Graph failure, figures included.
            var session = new TenantGraphSession(tenantId, run, calls, await slots.AcquireAsync(tenantId, cancellationToken));
            try
            {
                await work.Body(session, cancellationToken);
            }
            finally
            {
                await session.ReleaseSlotAsync();
            }

            return TenantGraphWorkEnd.Completed;
        }
        catch (GraphRequestException e) when (!cancellationToken.IsCancellationRequested)
        {
            // Nothing of the work is undone: what it stored before the failure stays, and the job's own counts say so.
            await run.AddGraphFailureAsync(e, work.FailureItem, cancellationToken);
            return e.Kind == GraphFailureKind.TenantBusy ? TenantGraphWorkEnd.TenantBusy : TenantGraphWorkEnd.GraphFailed;
        }
        finally
        {
            run.Set(OperationSummaryKeys.ThrottledRequests, calls.ThrottledRequests);
            run.Set(OperationSummaryKeys.ThrottleWaitSeconds, calls.ThrottleWaitSeconds);
        }
    }
}
