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
        StaleRequestId = await CreateRequestAsync();
        await AddPlanAsync(StaleRequestId, DateTimeOffset.UtcNow.AddHours(-2), TestPlanRunId + 1);
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

    private async Task AddPlanAsync(Guid requestId, DateTimeOffset at, long runId)
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
            }),
            ProtectedGroups = PlanJson.Write(new List<NamedObject> { new("pg-1", "Break glass admins") }),
            TargetAssignmentFilters = PlanJson.Write(new List<NamedObject> { new("tgt-filter-9", "Corporate Windows", "windows10AndLater"), new("tgt-filter-7", "Kiosk devices", "windows10AndLater") }),
            TargetScopeTags = PlanJson.Write(new List<NamedObject> { new("0", "Default"), new("5", "EU admins") }),
            Creates = 1,
            Updates = 1,
            Identical = 1,
            Conflicts = 1,
            Blocked = 1,
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
        var blocked = Item("Kiosk lockdown", PlanAction.Blocked, PlanMatch.None, "An assignment uses group \"Pilot users\", unresolved in the target.", ObjectDiff.Identical, AssignmentDiff.Identical);
        blocked.Blockers = PlanJson.Write(new List<PlanBlocker> { new(ReferenceKind.Group, "src-group-1") });
        plan.Items.Add(blocked);
        var create = Item("macOS FileVault", PlanAction.Create, PlanMatch.None, null, ObjectDiff.Identical, AssignmentDiff.Identical);
        create.TargetObjectId = null;
        create.TargetDisplayName = null;
        plan.Items.Add(create);
        var conflict = Item("Edge settings", PlanAction.Conflict, PlanMatch.Ambiguous, "Two objects of the target have this name.", ObjectDiff.Identical, AssignmentDiff.Identical);
        conflict.Family = GraphResourceKeys.ConfigurationPolicies;
        conflict.TargetObjectId = null;
        conflict.Candidates = PlanJson.Write(new List<PlanCandidate> { new("cand-a", "Edge settings", at.AddDays(-3)), new("cand-b", "Edge settings", at.AddDays(-1)) });
        plan.Items.Add(conflict);

        await using (var db = await App.Services.GetRequiredService<IDbContextFactory<RestoreDbContext>>().CreateDbContextAsync())
        {
            db.Plans.Add(plan);
            await db.SaveChangesAsync();
        }

        await RestoreRequests.RecordPlanRunAsync(App.Services.GetRequiredService<IDbContextFactory<RestoreDbContext>>(), requestId, runId, at, CancellationToken.None);
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
