using System.Text.Json.Nodes;
using Bunit;
using Microsoft.AspNetCore.Components;
using TenantAtlas.Access.Contracts;
using TenantAtlas.Operations.Contracts;
using TenantAtlas.Operations.Pages;
using TenantAtlas.Operations.Runs;
using TenantAtlas.Tenants.Contracts;
using TenantAtlas.Testing.Components;

namespace TenantAtlas.Operations.Tests.Pages;

/// <summary>Spec 001-operation-runs, "Viewer": what the page shows for a run in each status (bUnit).</summary>
public sealed class RunViewerComponentTests : MudTestContext
{
    private static readonly Guid UserId = Guid.NewGuid();
    private static readonly Guid WorkspaceId = Guid.NewGuid();
    private static readonly Guid TenantId = Guid.NewGuid();
    private readonly FakeRuns runs = new();

    public RunViewerComponentTests()
    {
        SignIn(UserId, "owner@demo.test");
        Services.AddSingleton<IOperationRuns>(runs);
        Services.AddSingleton(new OperationTypeRegistry([], [new OperationJobRegistration(OperationTypes.BackupRunNow), new OperationJobRegistration(OperationTypes.BackupRetry)]));
        Services.AddSingleton<ITenantCatalog>(new FakeTenants());
        Services.AddSingleton<IAccessService>(new FakeAccess());
    }

    private static OperationRunView Run(OperationRunStatus status, OperationRunOutcome outcome, Dictionary<string, long>? summary = null, IReadOnlyList<OperationFailure>? failures = null)
    {
        var created = new DateTimeOffset(2026, 11, 27, 8, 0, 0, TimeSpan.Zero);
        return new OperationRunView
        {
            Id = 1234,
            WorkspaceId = WorkspaceId,
            TenantId = TenantId,
            Type = OperationTypes.BackupRunNow,
            Status = status,
            Outcome = outcome,
            IdentityRule = IdentityRule.UniquePerClick,
            IdentityKey = "backup_schedule.run_now|click:x",
            Inputs = new JsonObject { ["schedule"] = "Nightly" },
            Summary = summary ?? [],
            Failures = failures ?? [],
            Initiator = new OperationInitiator(UserId, "owner@demo.test", null),
            CreatedAt = created,
            StartedAt = status == OperationRunStatus.Queued ? null : created.AddSeconds(3),
            CompletedAt = status == OperationRunStatus.Completed ? created.AddSeconds(75) : null,
            HeartbeatAt = status == OperationRunStatus.Running ? DateTimeOffset.UtcNow : null,
        };
    }

    private IRenderedComponent<RunViewer> RenderViewer()
    {
        RenderProviders();
        return Render<RunViewer>(p => p.Add(x => x.RunId, 1234));
    }

    [Fact]
    public void Queued_run_shows_the_queued_badge_waiting_and_cancel()
    {
        runs.Current = Run(OperationRunStatus.Queued, OperationRunOutcome.Pending);

        var page = RenderViewer();

        page.Find("#run-badge [data-status]").GetAttribute("data-status").Should().Be("queued");
        page.Find("#run-summary").TextContent.Should().Contain("Waiting for a worker");
        page.FindAll("#cancel-run").Should().ContainSingle();
        page.FindAll("#retry-run").Should().BeEmpty();
        page.Find("#run-title").TextContent.Should().Contain("Backup (run now)").And.Contain("#1234");
    }

    [Fact]
    public void Running_run_shows_progress_from_the_counts()
    {
        runs.Current = Run(OperationRunStatus.Running, OperationRunOutcome.Pending, new() { ["total"] = 412, ["processed"] = 103 });

        var page = RenderViewer();

        page.Find("#run-badge [data-status]").GetAttribute("data-status").Should().Be("running");
        page.Find("#run-progress").TextContent.Should().Contain("103 of 412 processed");
        page.FindAll("#cancel-run").Should().ContainSingle();
    }

    [Fact]
    public void Succeeded_run_shows_counts_duration_and_no_actions()
    {
        runs.Current = Run(OperationRunStatus.Completed, OperationRunOutcome.Succeeded, new() { ["total"] = 1204, ["processed"] = 1204, ["created"] = 12, ["unchanged"] = 1188 });

        var page = RenderViewer();

        page.Find("#run-badge [data-status]").GetAttribute("data-status").Should().Be("succeeded");
        page.Find("#run-summary").TextContent.Should().Contain("1,204").And.Contain("created").And.Contain("1,188");
        page.Find("#run-duration").TextContent.Should().Be("1 m 12 s");
        page.FindAll("#cancel-run").Should().BeEmpty();
        page.FindAll("#retry-run").Should().BeEmpty();
    }

    [Fact]
    public void Partially_succeeded_run_shows_the_failure_ledger_and_retry()
    {
        runs.Current = Run(OperationRunStatus.Completed, OperationRunOutcome.PartiallySucceeded, new() { ["total"] = 412, ["failed"] = 3 },
            [new OperationFailure("Request_ResourceNotFound", "Policy vanished (request-id 1f2e)", "Win10 baseline", DateTimeOffset.UtcNow)]);

        var page = RenderViewer();

        page.Find("#run-badge [data-status]").GetAttribute("data-status").Should().Be("partially_succeeded");
        page.Find("#run-badge").TextContent.Should().Contain("Partially succeeded").And.NotContain("Completed");
        page.Find("#run-failures").TextContent.Should().Contain("Request_ResourceNotFound").And.Contain("Win10 baseline").And.Contain("request-id 1f2e");
        page.FindAll("#retry-run").Should().ContainSingle();
    }

    [Theory]
    [InlineData(OperationRunOutcome.Failed, "failed", "Failed")]
    [InlineData(OperationRunOutcome.Cancelled, "cancelled", "Cancelled")]
    public void Failed_and_cancelled_runs_say_so(OperationRunOutcome outcome, string key, string text)
    {
        runs.Current = Run(OperationRunStatus.Completed, outcome) with { CompletionReason = outcome == OperationRunOutcome.Failed ? "worker_lost" : "cancelled" };

        var page = RenderViewer();

        page.Find("#run-badge [data-status]").GetAttribute("data-status").Should().Be(key);
        page.Find("#run-badge").TextContent.Should().Contain(text);
        page.Find("#run-timeline").TextContent.Should().Contain(outcome == OperationRunOutcome.Failed ? "worker_lost" : "cancelled");
    }

    [Fact]
    public void Forbidden_decision_renders_the_forbidden_content_and_nothing_of_the_run()
    {
        runs.Current = Run(OperationRunStatus.Running, OperationRunOutcome.Pending);
        runs.Decision = AccessDecision.Forbidden;

        var page = RenderViewer();

        page.FindAll("#forbidden").Should().ContainSingle();
        page.Markup.Should().NotContain("Contoso-EU").And.NotContain("#1234");
    }

    private sealed class FakeRuns : IOperationRuns
    {
        public OperationRunView? Current { get; set; }

        public AccessDecision Decision { get; set; } = AccessDecision.Allowed;

        public Task<(AccessDecision Decision, OperationRunView? Run)> GetForUserAsync(Guid userId, long runId, CancellationToken cancellationToken = default) =>
            Task.FromResult(Decision == AccessDecision.Allowed ? (Decision, Current) : (Decision, (OperationRunView?)null));

        public Task<StartResult> StartAsync(Actor actor, StartRequest request, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<RunActionResult> CancelAsync(Actor actor, long runId, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<ScheduledRunsResult> StartScheduledAsync(IReadOnlyList<ScheduledSlot> slots, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<StartResult> RetryAsync(Actor actor, long runId, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<OperationRunView?> FindAsync(long runId, CancellationToken cancellationToken = default) => Task.FromResult(Current);

        public Task<IReadOnlyList<OperationRunView>> FindManyAsync(IReadOnlyCollection<long> runIds, CancellationToken cancellationToken = default) =>
            Task.FromResult<IReadOnlyList<OperationRunView>>(Current is { } run && runIds.Contains(run.Id) ? [run] : []);

        public Task<OperationRunView?> FindLatestAsync(string type, Guid tenantId, bool completedOnly, CancellationToken cancellationToken = default) => Task.FromResult(Current);

        public Task<OperationRunView?> FindLatestSuccessfulAsync(string type, Guid tenantId, CancellationToken cancellationToken = default) => Task.FromResult(Current);
    }

    private sealed class FakeTenants : ITenantCatalog
    {
        public Task<TenantSummary?> GetAsync(Guid tenantId, CancellationToken cancellationToken = default) =>
            Task.FromResult<TenantSummary?>(new TenantSummary(TenantId, WorkspaceId, "Contoso-EU", Guid.NewGuid(), Guid.NewGuid(), true,
                GraphDefaults.GraphBaseUrl, GraphDefaults.AuthorityHost, DateTimeOffset.UtcNow, DateTimeOffset.UtcNow));

        public Task<IReadOnlyList<TenantSummary>> ListAsync(IReadOnlyCollection<Guid> workspaceIds, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException();
    }

    private sealed class FakeAccess : IAccessService
    {
        public Task<WorkspaceMembershipInfo?> GetMembershipAsync(Guid userId, Guid workspaceId, CancellationToken cancellationToken = default) =>
            Task.FromResult<WorkspaceMembershipInfo?>(new WorkspaceMembershipInfo(workspaceId, "Contoso", WorkspaceRole.Owner));

        public Task<UserAccessSummary> GetSummaryAsync(Guid userId, CancellationToken cancellationToken = default) =>
            Task.FromResult(new UserAccessSummary([new WorkspaceMembershipInfo(WorkspaceId, "Contoso", WorkspaceRole.Owner)], false));

        public Task<AccessDecision> CheckAsync(Guid userId, Guid workspaceId, Capability capability, CancellationToken cancellationToken = default) => Task.FromResult(AccessDecision.Allowed);

        public Task<WorkspaceRole?> GetRoleAsync(Guid userId, Guid workspaceId, CancellationToken cancellationToken = default) => Task.FromResult<WorkspaceRole?>(WorkspaceRole.Owner);

        public Task<IReadOnlyList<WorkspaceMembershipInfo>> ListMembershipsAsync(Guid userId, CancellationToken cancellationToken = default) =>
            Task.FromResult<IReadOnlyList<WorkspaceMembershipInfo>>([new WorkspaceMembershipInfo(WorkspaceId, "Contoso", WorkspaceRole.Owner)]);

        public Task<bool> IsPlatformAdminAsync(Guid userId, CancellationToken cancellationToken = default) => Task.FromResult(false);

        public Task<string?> GetUserLabelAsync(Guid userId, CancellationToken cancellationToken = default) => Task.FromResult<string?>("owner@demo.test");
    }
}
