using TenantAtlas.Operations.Contracts;

namespace TenantAtlas.Web.Demo;

/// <summary>A demo tenant and the user its user-started demo runs name.</summary>
internal sealed record DemoTenant(Guid WorkspaceId, Guid TenantId, Guid InitiatorUserId, string InitiatorEmail);

/// <summary>
/// Seeds, per tenant, about two weeks of finished runs of every type with every outcome, failures included. Nothing is left
/// queued or running: a demo run without a worker would hold its type's dedupe identity, and *Sync now* on the pages a
/// newcomer opens first would answer "already running" until the upkeep caught up. What the stale-run upkeep does is shown
/// by a finished example instead: a groups sync whose worker stopped, completed failed (worker_lost) with the upkeep's entry.
/// </summary>
internal sealed class DemoRunHistory(IOperationHistory history, TimeProvider clock)
{
    public const string Reason = "demo seed";

    public async Task<int> SeedDemoHistoryAsync(IReadOnlyList<DemoTenant> tenants, CancellationToken cancellationToken = default)
    {
        var added = 0;
        foreach (var tenant in tenants)
        {
            if (!await history.HasRecordedAsync(tenant.TenantId, Reason, cancellationToken))
            {
                added += await history.RecordAsync([.. History(tenant)], cancellationToken);
            }
        }

        return added;
    }

    private IEnumerable<FinishedRun> History(DemoTenant tenant)
    {
        var now = clock.GetUtcNow();
        var random = new Random(tenant.TenantId.GetHashCode());
        var schedule = new Guid(tenant.TenantId.ToByteArray().Reverse().ToArray());
        for (var day = 14; day >= 1; day--)
        {
            var morning = now.Date.AddDays(-day).AddHours(2);
            var nightly = new DateTimeOffset(morning, TimeSpan.Zero);
            // The nightly scheduled backup: mostly fine, one partial, one missed.
            yield return day switch
            {
                9 => Run(tenant, OperationTypes.BackupScheduled, OperationRunOutcome.PartiallySucceeded, nightly, 412, 409, failures:
                [
                    ("Request_ResourceNotFound", "Resource 'b6d0…' does not exist or one of its queried reference-property objects are not present. (request-id 7c1e3f2a-1d1b-4a8e-9e58-2f4b1c0d9a11)", "Windows 10 – BitLocker"),
                    ("TooManyRequests", "Throttled by Intune after 3 retries (request-id 0a4f…); the item was skipped.", "iOS restrictions – Sales"),
                    ("InternalServerError", "{\"Message\":\"An internal server error has occurred – Operation ID: 1e0d…\"}", "Edge security baseline"),
                ], schedule: (schedule, nightly), throttled: (17, 41)),
                4 => Missed(tenant, schedule, nightly),
                _ => Run(tenant, OperationTypes.BackupScheduled, OperationRunOutcome.Succeeded, nightly, 412, 412, schedule: (schedule, nightly), throttled: (random.Next(0, 5), random.Next(0, 12))),
            };

            yield return Run(tenant, OperationTypes.InventorySync, day == 6 ? OperationRunOutcome.Failed : OperationRunOutcome.Succeeded, nightly.AddHours(7 + random.NextDouble()), 412, day == 6 ? 0 : 412,
                failures: day == 6 ? [("InvalidAuthenticationToken", "Access token has expired or is not yet valid. Verify connection, then sync again.", null)] : [],
                user: true);
            if (day % 3 == 0)
            {
                yield return Run(tenant, OperationTypes.DirectoryGroupsSync, OperationRunOutcome.Succeeded, nightly.AddHours(8), 1204, 1204, counts: new() { ["created"] = 12, ["updated"] = 3, ["deleted"] = 1, ["unchanged"] = 1188 }, user: true, throttled: (2, 4));
                yield return Run(tenant, OperationTypes.DirectoryRoleDefinitionsSync, OperationRunOutcome.Succeeded, nightly.AddHours(8.2), 38, 38, counts: new() { ["unchanged"] = 38 }, user: true);
            }
        }

        yield return Run(tenant, OperationTypes.BackupRunNow, OperationRunOutcome.Cancelled, now.AddDays(-3), 412, 120, user: true, reason: "cancelled");
        var failedNow = now.AddDays(-2);
        yield return Run(tenant, OperationTypes.BackupRunNow, OperationRunOutcome.Failed, failedNow, 412, 37, user: true,
            failures: [("ServiceUnavailable", "Graph answered 503 Service Unavailable after 3 retries (request-id 3d9b2c71-…).", null)]);
        yield return Run(tenant, OperationTypes.BackupRetry, OperationRunOutcome.Succeeded, failedNow.AddMinutes(20), 412, 412, user: true);
        yield return Run(tenant, OperationTypes.DirectoryGroupsSync, OperationRunOutcome.Failed, now.AddDays(-1).AddHours(-3), 1204, 530, user: true, reason: "worker_lost",
            failures: [("worker_lost", "The worker running this run stopped sending heartbeats for more than 3 minute(s) (process crash or restart). Start it again.", null)]);
    }

    private static FinishedRun Missed(DemoTenant tenant, Guid schedule, DateTimeOffset slot) =>
        Run(tenant, OperationTypes.BackupScheduled, OperationRunOutcome.Failed, slot, 0, 0, schedule: (schedule, slot), reason: "missed",
            failures: [("missed", "The slot was first seen 47 minutes after its time (grace window 15 minutes); it was not executed.", null)], neverStarted: true);

    private static FinishedRun Run(
        DemoTenant tenant, string type, OperationRunOutcome outcome, DateTimeOffset createdAt, long total, long processed,
        (string Code, string Message, string? Item)[]? failures = null, (Guid Id, DateTimeOffset Slot)? schedule = null,
        (int Requests, int Seconds)? throttled = null, Dictionary<string, long>? counts = null, bool user = false, string? reason = null,
        bool neverStarted = false)
    {
        var definition = OperationTypes.All.Single(d => d.Key == type);
        var started = neverStarted ? (DateTimeOffset?)null : createdAt.AddSeconds(2);
        var completed = (started ?? createdAt).AddSeconds(Math.Max(5, processed / 4.0));
        var summary = new Dictionary<string, long>();
        if (total > 0)
        {
            summary["total"] = total;
            summary["processed"] = processed;
        }

        if (outcome == OperationRunOutcome.Succeeded)
        {
            summary["succeeded"] = processed;
        }

        if (failures is { Length: > 0 } && outcome == OperationRunOutcome.PartiallySucceeded)
        {
            summary["succeeded"] = processed - failures.Length;
            summary["failed"] = failures.Length;
        }

        if (throttled is { Requests: > 0 } t)
        {
            summary["throttled_requests"] = t.Requests;
            summary["throttle_wait_seconds"] = t.Seconds;
        }

        foreach (var (name, value) in counts ?? [])
        {
            summary[name] = value;
        }

        var isUser = user && definition.UserStartable;
        return new FinishedRun(tenant.WorkspaceId, tenant.TenantId, type, outcome, createdAt, completed, Reason)
        {
            StartedAt = started,
            InitiatorUserId = isUser ? tenant.InitiatorUserId : null,
            InitiatorLabel = isUser ? tenant.InitiatorEmail : "system",
            Inputs = new() { ["demo"] = true },
            Summary = summary,
            Failures = [.. (failures ?? []).Select(f => new OperationFailure(f.Code, f.Message, f.Item, completed))],
            CompletionReason = reason,
            ScheduleId = schedule?.Id,
            ScheduledFor = schedule?.Slot,
        };
    }
}
