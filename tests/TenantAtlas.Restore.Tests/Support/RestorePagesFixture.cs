using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using TenantAtlas.Graph.Contracts;
using TenantAtlas.Graph.Contracts.Diff;
using TenantAtlas.Restore.Data;
using TenantAtlas.Restore.Planning;
using TenantAtlas.Restore.Requests;
using TenantAtlas.Testing.Hosting;

namespace TenantAtlas.Restore.Tests.Support;

/// <summary>
/// The real host on its own database with demo data (no emulator, no Graph): backup sets of Contoso-EU, Contoso-US and
/// Fabrikam inserted as rows, a restore request into Contoso-EU created through the real service, and — TEST DATA, until
/// the <c>restore.plan</c> job lands — a plan written straight through <see cref="RestoreDbContext"/> with one item of each
/// action, a changed field, a long value, an assignment diff, a conflict, an unresolved group and a protected group.
/// A second request carries a plan two hours old (stale).
/// <para>
/// Restore, part 2 (execute and rollback) as the pages see it — TEST DATA, as the execute job lives on another branch: a
/// request with a fresh plan and no blockers (Execute enabled), one with nothing to write, one executed (a completed,
/// partially succeeded <c>restore.execute</c> run inserted as a row, its ledger written straight into
/// <c>restore_item_results</c>), one executed and rolled back with its rollback request (a plan with a Delete item), and
/// one whose execute run is running. <see cref="IRestoreExecutions"/> and <see cref="IRestoreRollbacks"/> are the
/// recording doubles below (this test project only).
/// </para>
/// </summary>
public sealed class RestorePagesFixture : AppFixture, IAsyncLifetime
{
    public const string ManagerEmail = "manager-restore@demo.test";

    /// <summary>A run id no run has: the test plan names it as its plan run (the job does not exist on this branch yet).</summary>
    public const long TestPlanRunId = 4_000_000_001;

    public Guid SameSet { get; private set; }

    public Guid CrossSet { get; private set; }

    public Guid FabrikamSet { get; private set; }

    public Guid RequestId { get; private set; }

    public Guid StaleRequestId { get; private set; }

    /// <summary>A fresh plan without blockers: 1 create, 2 updates, 1 skip, 1 conflict.</summary>
    public Guid ReadyRequestId { get; private set; }

    /// <summary>A fresh plan whose only item is identical in the target: nothing to execute.</summary>
    public Guid IdenticalRequestId { get; private set; }

    /// <summary>Executed (partially succeeded): 1 created, 1 updated, 1 skipped, 1 conflict, 1 failed.</summary>
    public Guid ExecutedRequestId { get; private set; }

    public long ExecutedRunId { get; private set; }

    /// <summary>Executed (succeeded: 1 created, 1 updated) and rolled back by <see cref="RollbackRequestId"/>.</summary>
    public Guid RolledBackRequestId { get; private set; }

    /// <summary>The rollback of <see cref="RolledBackRequestId"/>: deletes "macOS FileVault", puts "Win10 baseline" back.</summary>
    public Guid RollbackRequestId { get; private set; }

    /// <summary>Its execute run is running: 2 of 5 items processed.</summary>
    public Guid ExecutingRequestId { get; private set; }

    public long ExecutingRunId { get; private set; }

    /// <summary>Its execute run was cancelled after creating one item: the request is stopped.</summary>
    public Guid StoppedRequestId { get; private set; }

    public long StoppedRunId { get; private set; }

    /// <summary>Executed twice: the first run (cancelled) created one item, the second failed and wrote nothing.</summary>
    public Guid ReExecutedRequestId { get; private set; }

    public RecordingRestoreExecutions Executions { get; } = new();

    public RecordingRestoreRollbacks Rollbacks { get; } = new();

    protected override TenantAtlasApp CreateApp(string connectionString) => base.CreateApp(connectionString).WithServices(services =>
    {
        services.AddSingleton<IRestoreExecutions>(Executions);
        services.AddSingleton<IRestoreRollbacks>(Rollbacks);
    });

    /// <summary>Backup item ids of <see cref="SameSet"/> by display name.</summary>
    public Dictionary<string, long> Items { get; } = [];

    public string LongValue { get; } = "<Configuration>" + string.Concat(Enumerable.Range(1, 40).Select(i => $"<Setting id=\"{i}\">value {i}</Setting>")) + "</Configuration>";

    public IRestoreRequests Requests => App.Services.GetRequiredService<IRestoreRequests>();

    public new async Task InitializeAsync()
    {
        await base.InitializeAsync();
        var admin = App.Services.GetRequiredService<IAccessAdministration>();
        var manager = await admin.EnsureUserAsync(ManagerEmail, SignIn.DemoPassword, false);
        await admin.EnsureMembershipAsync(Demo.Contoso, manager, WorkspaceRole.Manager);

        SameSet = await AddSetAsync(Demo.Contoso, Demo.ContosoEu,
            (GraphResourceKeys.DeviceConfigurations, "Win10 baseline"), (GraphResourceKeys.DeviceConfigurations, "iOS restrictions"),
            (GraphResourceKeys.DeviceConfigurations, "Kiosk lockdown"), (GraphResourceKeys.DeviceConfigurations, "macOS FileVault"),
            (GraphResourceKeys.ConfigurationPolicies, "Edge settings"));
        CrossSet = await AddSetAsync(Demo.Contoso, Demo.ContosoUs, (GraphResourceKeys.DeviceConfigurations, "US only policy"));
        FabrikamSet = await AddSetAsync(Demo.Fabrikam, Demo.FabrikamTenant, (GraphResourceKeys.DeviceConfigurations, "Fabrikam secret policy"));
        await using (var connection = new Npgsql.NpgsqlConnection(Database.ConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new Npgsql.NpgsqlCommand("SELECT display_name, id FROM backup.backup_items WHERE backup_set_id = $1", connection);
            command.Parameters.Add(new Npgsql.NpgsqlParameter { Value = SameSet });
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                Items[reader.GetString(0)] = reader.GetInt64(1);
            }
        }

        RequestId = await CreateRequestAsync();
        await AddPlanAsync(RequestId, DateTimeOffset.UtcNow, TestPlanRunId);
        // Older than the five the tenant panel lists.
        StoppedRequestId = await CreateRequestAsync();
        var stopped = await AddPlanAsync(StoppedRequestId, DateTimeOffset.UtcNow, TestPlanRunId + 8, withBlocker: false);
        StoppedRunId = await AddExecuteRunAsync(StoppedRequestId, "completed", "cancelled", """{"total":2,"processed":1,"created":1}""");
        await AddLedgerAsync(StoppedRequestId, StoppedRunId, stopped,
            ("macOS FileVault", ItemResult.Created, "new-macos-4", null, null),
            ("Win10 baseline", ItemResult.NotRun, null, null, null));

        ReExecutedRequestId = await CreateRequestAsync();
        var reExecuted = await AddPlanAsync(ReExecutedRequestId, DateTimeOffset.UtcNow, TestPlanRunId + 9, withBlocker: false);
        var firstRun = await AddExecuteRunAsync(ReExecutedRequestId, "completed", "cancelled", """{"total":2,"processed":1,"created":1}""");
        await AddLedgerAsync(ReExecutedRequestId, firstRun, reExecuted, ("macOS FileVault", ItemResult.Created, "new-macos-5", null, null));
        var secondRun = await AddExecuteRunAsync(ReExecutedRequestId, "completed", "failed", """{"total":1,"processed":1,"failed":1}""");
        await AddLedgerAsync(ReExecutedRequestId, secondRun, reExecuted, ("Win10 baseline", ItemResult.Failed, null, "forbidden", "Graph refused the write."));

        StaleRequestId = await CreateRequestAsync();
        await AddPlanAsync(StaleRequestId, DateTimeOffset.UtcNow.AddHours(-2), TestPlanRunId + 1);

        ReadyRequestId = await CreateRequestAsync();
        await AddPlanAsync(ReadyRequestId, DateTimeOffset.UtcNow, TestPlanRunId + 2, withBlocker: false);
        IdenticalRequestId = await CreateRequestAsync();
        await AddIdenticalPlanAsync(IdenticalRequestId, TestPlanRunId + 3);

        ExecutedRequestId = await CreateRequestAsync();
        var executed = await AddPlanAsync(ExecutedRequestId, DateTimeOffset.UtcNow, TestPlanRunId + 4, withBlocker: false);
        ExecutedRunId = await AddExecuteRunAsync(ExecutedRequestId, "completed", "partially_succeeded",
            """{"total":5,"processed":5,"created":1,"updated":1,"skipped":1,"failed":1,"conflicts":1}""");
        await AddLedgerAsync(ExecutedRequestId, ExecutedRunId, executed,
            ("macOS FileVault", ItemResult.Created, "new-macos-1", null, null),
            ("Win10 baseline", ItemResult.Updated, "tgt-Win10-baseline", null, null),
            ("iOS restrictions", ItemResult.Skipped, "tgt-iOS-restrictions", null, null),
            ("Edge settings", ItemResult.Conflict, null, "changed_since_plan", "The object changed in the target after the plan read it: not written."),
            ("Kiosk lockdown", ItemResult.Failed, "tgt-Kiosk-lockdown", "BadRequest", "Property 'createdDateTime' is read-only."));

        RolledBackRequestId = await CreateRequestAsync();
        var rolledBack = await AddPlanAsync(RolledBackRequestId, DateTimeOffset.UtcNow, TestPlanRunId + 5, withBlocker: false);
        var rolledBackRun = await AddExecuteRunAsync(RolledBackRequestId, "completed", "succeeded", """{"total":2,"processed":2,"created":1,"updated":1}""");
        await AddLedgerAsync(RolledBackRequestId, rolledBackRun, rolledBack,
            ("macOS FileVault", ItemResult.Created, "new-macos-2", null, null),
            ("Win10 baseline", ItemResult.Updated, "tgt-Win10-baseline", null, null));
        RollbackRequestId = await CreateRequestAsync();
        await AddRollbackPlanAsync(RollbackRequestId, RolledBackRequestId, rolledBackRun, TestPlanRunId + 6);

        ExecutingRequestId = await CreateRequestAsync();
        var executing = await AddPlanAsync(ExecutingRequestId, DateTimeOffset.UtcNow, TestPlanRunId + 7, withBlocker: false);
        ExecutingRunId = await AddExecuteRunAsync(ExecutingRequestId, "running", "pending", """{"total":5,"processed":2,"created":1,"updated":1}""");
        await AddLedgerAsync(ExecutingRequestId, ExecutingRunId, executing,
            ("macOS FileVault", ItemResult.Created, "new-macos-3", null, null),
            ("Win10 baseline", ItemResult.Updated, "tgt-Win10-baseline", null, null),
            ("Kiosk lockdown", ItemResult.Writing, "tgt-Kiosk-lockdown", null, null));

    }

    public async Task<Guid> PlanIdOfAsync(Guid requestId) =>
        await Database.ScalarAsync<Guid>("SELECT id FROM restore.restore_plans WHERE request_id = $1 ORDER BY created_at DESC LIMIT 1", requestId);

    /// <summary>A <c>restore.execute</c> run as a row (its job is not on this branch), recorded as the request's execute run.</summary>
    private async Task<long> AddExecuteRunAsync(Guid requestId, string status, string outcome, string summary)
    {
        var runId = await Database.ScalarAsync<long>("""
            INSERT INTO operations.operation_runs
                (workspace_id, tenant_id, type, status, outcome, identity_rule, identity_key, identity_source, context, summary, failures,
                 initiator_kind, initiator_user_id, initiator_label, restore_request_id, created_at, started_at, heartbeat_at, completed_at)
            VALUES ($1, $2, 'restore.execute', $3, $4, 'dedupe', 'restore.execute|restore_request:' || $5::text, '{}', '{}'::jsonb, $6::jsonb, '[]'::jsonb,
                    'user', $7, 'owner@demo.test', $5, now(), now(), now(), CASE WHEN $3 = 'completed' THEN now() END)
            RETURNING id
            """, Demo.Contoso, Demo.ContosoEu, status, outcome, requestId, summary, Demo.Owner);
        await Database.ExecuteAsync("UPDATE restore.restore_requests SET execute_run_id = $1 WHERE id = $2", runId, requestId);
        return runId;
    }

    private async Task AddLedgerAsync(Guid requestId, long runId, RestorePlan plan,
        params (string Name, ItemResult Result, string? TargetId, string? ErrorCode, string? ErrorMessage)[] rows)
    {
        await using var db = await App.Services.GetRequiredService<IDbContextFactory<RestoreDbContext>>().CreateDbContextAsync();
        var at = DateTimeOffset.UtcNow;
        foreach (var (name, result, targetId, errorCode, errorMessage) in rows)
        {
            var item = plan.Items.Single(i => i.DisplayName == name);
            db.ItemResults.Add(new RestoreItemResult
            {
                RequestId = requestId,
                OperationRunId = runId,
                PlanItemId = item.Id,
                BackupItemId = item.BackupItemId,
                Family = item.Family,
                DisplayName = item.DisplayName,
                ODataType = item.ODataType,
                PlannedAction = item.Action,
                Result = result,
                TargetObjectId = targetId,
                AssignmentsWritten = result is ItemResult.Created or ItemResult.Updated,
                ErrorCode = errorCode,
                ErrorMessage = errorMessage,
                StartedAt = at,
                FinishedAt = result == ItemResult.Writing ? null : at,
            });
            // One row at a time: ids in the order written, as the job writes them.
            await db.SaveChangesAsync();
        }
    }

    private async Task AddIdenticalPlanAsync(Guid requestId, long runId)
    {
        var at = DateTimeOffset.UtcNow;
        var plan = new RestorePlan { Id = Guid.CreateVersion7(), RequestId = requestId, OperationRunId = runId, ReadStartedAt = at, CreatedAt = at, Identical = 1 };
        plan.Items.Add(Item("iOS restrictions", PlanAction.Skip, PlanMatch.Name, "Identical to the target.", ObjectDiff.Identical, AssignmentDiff.Identical));
        await SavePlanAsync(requestId, plan, runId, at);
    }

    /// <summary>The rollback of <paramref name="rolledBackRequestId"/>, as the rollback would make it: a Delete item for the object its execute created, an update putting the other back.</summary>
    private async Task AddRollbackPlanAsync(Guid requestId, Guid rolledBackRequestId, long rolledBackRunId, long runId)
    {
        var at = DateTimeOffset.UtcNow;
        var deletion = new RestoreDeletion
        {
            RequestId = requestId,
            Family = GraphResourceKeys.DeviceConfigurations,
            ObjectId = "new-macos-2",
            DisplayName = "macOS FileVault",
            ODataType = "#microsoft.graph.macOSEndpointProtectionConfiguration",
            CreatedByRunId = rolledBackRunId,
        };
        await using (var db = await App.Services.GetRequiredService<IDbContextFactory<RestoreDbContext>>().CreateDbContextAsync())
        {
            db.Deletions.Add(deletion);
            await db.SaveChangesAsync();
        }

        await Database.ExecuteAsync("UPDATE restore.restore_requests SET rollback_of_request_id = $1 WHERE id = $2", rolledBackRequestId, requestId);
        var plan = new RestorePlan { Id = Guid.CreateVersion7(), RequestId = requestId, OperationRunId = runId, ReadStartedAt = at, CreatedAt = at, Updates = 1, Deletes = 1 };
        plan.Items.Add(Item("Win10 baseline", PlanAction.Update, PlanMatch.Id, "Put back as before the restore.", ObjectDiff.Identical, AssignmentDiff.Identical));
        plan.Items.Add(new RestorePlanItem
        {
            BackupItemId = null,
            DeletionId = deletion.Id,
            Family = deletion.Family,
            SourceGraphId = deletion.ObjectId,
            DisplayName = deletion.DisplayName,
            ODataType = deletion.ODataType,
            Action = PlanAction.Delete,
            Match = PlanMatch.Id,
            Reason = "Created by the restore this request takes back.",
            TargetObjectId = deletion.ObjectId,
            TargetDisplayName = deletion.DisplayName,
        });
        await SavePlanAsync(requestId, plan, runId, at);
    }

    private async Task SavePlanAsync(Guid requestId, RestorePlan plan, long runId, DateTimeOffset at)
    {
        var factory = App.Services.GetRequiredService<IDbContextFactory<RestoreDbContext>>();
        await using (var db = await factory.CreateDbContextAsync())
        {
            db.Plans.Add(plan);
            await db.SaveChangesAsync();
        }

        await RestoreRequests.RecordPlanRunAsync(factory, requestId, runId, at, CancellationToken.None);
    }

    private async Task<Guid> CreateRequestAsync()
    {
        var created = await Requests.CreateAsync(Demo.Owner,
            new NewRestoreRequest(SameSet, Demo.ContosoEu, [GraphResourceKeys.DeviceConfigurations], [Items["Edge settings"]]));
        created.Ok.Should().BeTrue(created.Error);
        return created.Value!.Id;
    }

    private long setCount;

    private async Task<Guid> AddSetAsync(Guid workspace, Guid tenant, params (string Family, string Name)[] items)
    {
        var id = Guid.CreateVersion7();
        await Database.ExecuteAsync(
            "INSERT INTO backup.backup_sets (id, workspace_id, tenant_id, schedule_id, operation_run_id, run_type, families, created_at, item_count, failed_count, size_bytes) " +
            "VALUES ($1, $2, $3, NULL, $6, 'backup.run_now', $4, now(), $5, 0, 0)", id, workspace, tenant, items.Select(i => i.Family).Distinct().ToArray(), items.Length,
            // A run id of its own per set (unique in backup_sets); no such run exists: these sets are rows, not backups.
            3_000_000_000L + ++setCount);
        var n = 0;
        foreach (var (family, name) in items)
        {
            var graphId = $"{family}-{++n}-{id:N}";
            var content = new JsonObject { ["id"] = graphId, ["displayName"] = name }.ToJsonString();
            await Database.ExecuteAsync(
                "INSERT INTO backup.backup_items (backup_set_id, family, graph_id, display_name, o_data_type, content, assignments, content_hash, size_bytes) " +
                "VALUES ($1, $2, $3, $4, NULL, $5::jsonb, '[]'::jsonb, $6, 10)", id, family, graphId, name, content, new string('0', 64));
        }

        return id;
    }

    private async Task<RestorePlan> AddPlanAsync(Guid requestId, DateTimeOffset at, long runId, bool withBlocker = true)
    {
        var plan = new RestorePlan
        {
            Id = Guid.CreateVersion7(),
            RequestId = requestId,
            OperationRunId = runId,
            ReadStartedAt = at,
            CreatedAt = at,
            References = PlanJson.Write(new List<PlanReference>
            {
                new(ReferenceKind.Group, "src-group-1", "Pilot users", ReferenceResolution.Unresolved, null, null, [], 1),
                new(ReferenceKind.AssignmentFilter, "src-filter-1", "Corporate Windows", ReferenceResolution.UniqueName, "tgt-filter-9", "Corporate Windows", [], 1),
                new(ReferenceKind.ScopeTag, "0", "Default", ReferenceResolution.SameId, "0", "Default", [], 2),
                new(ReferenceKind.NotificationTemplate, "src-template-1", "Noncompliant device", ReferenceResolution.UniqueName, "tgt-template-3", "Noncompliant device", [], 1),
                new(ReferenceKind.ReusableSetting, "rs-1", "Office address group", ReferenceResolution.SameId, "rs-1", "Office address group", [], 1),
            }),
            ProtectedGroups = PlanJson.Write(new List<NamedObject> { new("pg-1", "Break glass admins") }),
            TargetAssignmentFilters = PlanJson.Write(new List<NamedObject> { new("tgt-filter-9", "Corporate Windows", "windows10AndLater"), new("tgt-filter-7", "Kiosk devices", "windows10AndLater") }),
            TargetScopeTags = PlanJson.Write(new List<NamedObject> { new("0", "Default"), new("5", "EU admins") }),
            TargetNotificationTemplates = PlanJson.Write(new List<NamedObject> { new("tgt-template-3", "Noncompliant device"), new("tgt-template-4", "Grace period ending") }),
            TargetReusableSettings = PlanJson.Write(new List<NamedObject> { new("rs-1", "Office address group") }),
            Creates = 1,
            Updates = withBlocker ? 1 : 2,
            Identical = 1,
            Conflicts = 1,
            Blocked = withBlocker ? 1 : 0,
        };
        var content = new ObjectDiff(
        [
            new FieldChange("passwordMinimumLength", "passwordMinimumLength", FieldChangeKind.Changed, JsonValue.Create(8), JsonValue.Create(12)),
            new FieldChange("omaSettings[./Vendor/MSFT/Policy/Config/Kiosk].value", "omaSettings/./Vendor~1MSFT/value", FieldChangeKind.Changed, JsonValue.Create("<Configuration/>"), JsonValue.Create(LongValue)),
            new FieldChange("passwordBlockSimple", "passwordBlockSimple", FieldChangeKind.Added, null, JsonValue.Create(true)),
            new FieldChange("description", "description", FieldChangeKind.Removed, JsonValue.Create("made in the target"), null),
        ]);
        var assignments = new AssignmentDiff(
        [
            new AssignmentChange(FieldChangeKind.Added, new AssignmentTarget("groupAssignmentTarget", "tgt-group-3", null, "none", null), null,
                new JsonObject { ["target"] = new JsonObject { ["groupId"] = "tgt-group-3" } }, []),
            new AssignmentChange(FieldChangeKind.Removed, new AssignmentTarget("groupAssignmentTarget", "pg-1", null, "none", null),
                new JsonObject { ["target"] = new JsonObject { ["groupId"] = "pg-1" } }, null, []),
        ]);
        plan.Items.Add(Item("Win10 baseline", PlanAction.Update, PlanMatch.Name, "Same type and name in the target.", content, assignments));
        plan.Items.Add(Item("iOS restrictions", PlanAction.Skip, PlanMatch.Name, "Identical to the target.", ObjectDiff.Identical, AssignmentDiff.Identical));
        if (withBlocker)
        {
            var blocked = Item("Kiosk lockdown", PlanAction.Blocked, PlanMatch.None, "An assignment uses group \"Pilot users\", unresolved in the target.", ObjectDiff.Identical, AssignmentDiff.Identical);
            blocked.Blockers = PlanJson.Write(new List<PlanBlocker> { new(ReferenceKind.Group, "src-group-1") });
            plan.Items.Add(blocked);
        }
        else
        {
            plan.References = PlanJson.Write(new List<PlanReference>
            {
                new(ReferenceKind.AssignmentFilter, "src-filter-1", "Corporate Windows", ReferenceResolution.UniqueName, "tgt-filter-9", "Corporate Windows", [], 1),
            });
            plan.Items.Add(Item("Kiosk lockdown", PlanAction.Update, PlanMatch.Name, "Same type and name in the target.", ObjectDiff.Identical, AssignmentDiff.Identical));
        }

        var create = Item("macOS FileVault", PlanAction.Create, PlanMatch.None, null, ObjectDiff.Identical, AssignmentDiff.Identical);
        create.TargetObjectId = null;
        create.TargetDisplayName = null;
        plan.Items.Add(create);
        var conflict = Item("Edge settings", PlanAction.Conflict, PlanMatch.Ambiguous, "Two objects of the target have this name.", ObjectDiff.Identical, AssignmentDiff.Identical);
        conflict.Family = GraphResourceKeys.ConfigurationPolicies;
        conflict.TargetObjectId = null;
        conflict.Candidates = PlanJson.Write(new List<PlanCandidate> { new("cand-a", "Edge settings", at.AddDays(-3)), new("cand-b", "Edge settings", at.AddDays(-1)) });
        plan.Items.Add(conflict);

        await SavePlanAsync(requestId, plan, runId, at);
        return plan;
    }

    private RestorePlanItem Item(string name, PlanAction action, PlanMatch match, string? reason, ObjectDiff content, AssignmentDiff assignments) => new()
    {
        BackupItemId = Items[name],
        Family = GraphResourceKeys.DeviceConfigurations,
        SourceGraphId = "src-" + name.Replace(' ', '-'),
        DisplayName = name,
        ODataType = "#microsoft.graph.windows10GeneralConfiguration",
        Action = action,
        Match = match,
        Reason = reason,
        TargetObjectId = "tgt-" + name.Replace(' ', '-'),
        TargetDisplayName = name,
        ContentDiff = PlanJson.Write(content),
        AssignmentDiff = PlanJson.Write(assignments),
    };
}
