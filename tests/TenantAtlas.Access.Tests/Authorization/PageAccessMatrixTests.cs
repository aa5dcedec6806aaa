using System.Net;
using System.Reflection;
using System.Text;
using Microsoft.AspNetCore.Components;
using TenantAtlas.Access.Contracts;
using TenantAtlas.Testing.Hosting;

namespace TenantAtlas.Access.Tests.Authorization;

/// <summary>
/// Every routable page of the product, by reflection, against a matrix of route × record × role → outcome, over HTTP on
/// the real host and PostgreSQL. A page added without a row here fails the test; a page that decides access differently
/// from its row fails it too. Records: the caller's own tenant (Contoso-EU in Contoso), another workspace's (Fabrikam),
/// an unknown id.
/// </summary>
public sealed class PageAccessMatrixTests(PageAccessMatrixTests.MatrixFixture fixture) : IClassFixture<PageAccessMatrixTests.MatrixFixture>
{
    /// <summary>The columns of every row, in this order.</summary>
    private static readonly string[] Roles = ["anonymous", "owner", "manager", "operator", "readonly", "admin"];

    // Outcomes: "in" = redirect to sign-in; "to:/path" = redirect elsewhere; a number = that status code.
    private static IEnumerable<(string Template, string Path, string Expected)> Matrix(MatrixFixture f)
    {
        var d = f.Demo;
        var unknownGuid = "6b1c7d2e-9f3a-4e5b-8c7d-112233445566";
        //                                                                                                  anon owner mgr  op   ro   admin
        yield return ("/", "/", "to:/admin to:/admin to:/admin to:/admin to:/admin to:/admin");
        yield return ("/admin", "/admin", "in 200 200 200 200 200");
        yield return ("/error", "/error", "200 200 200 200 200 200");
        yield return ("/forbidden", "/forbidden", "403 403 403 403 403 403");
        // The targets of the status-code pages re-execution: requested directly they are plain pages.
        yield return ("/not-found", "/not-found", "200 200 200 200 200 200");
        yield return ("/status/{Code:int}", "/status/404", "200 200 200 200 200 200");
        yield return ("/status/{Code:int}", "/status/403", "403 403 403 403 403 403");
        yield return ("/Account/Login", "/Account/Login", "200 200 200 200 200 200");
        yield return ("/Account/Lockout", "/Account/Lockout", "200 200 200 200 200 200");
        yield return ("/Account/AcceptInvitation", "/Account/AcceptInvitation", "200 200 200 200 200 200");
        yield return ("/admin/profile/tokens", "/admin/profile/tokens", "in 200 200 200 200 200");
        yield return ("/admin/workspaces/new", "/admin/workspaces/new", "in 403 403 403 403 200");
        yield return ("/admin/operations", "/admin/operations", "in 200 200 200 200 200");
        yield return ("/admin/backups", "/admin/backups", "in 200 200 200 200 200");
        // Lists only the requests of workspaces where the user may restore: never refused.
        yield return ("/admin/restores", "/admin/restores", "in 200 200 200 200 200");
        // Lists only the legacy rows of workspaces whose role grants the table's run type: none → an empty state.
        yield return ("/admin/legacy", "/admin/legacy", "in 200 200 200 200 200");

        foreach (var (id, own) in new[] { (d.Contoso.ToString(), true), (d.Fabrikam.ToString(), false), (unknownGuid, false) })
        {
            yield return ("/admin/workspaces/{WorkspaceId:guid}", $"/admin/workspaces/{id}", own ? "in 200 200 200 200 404" : "in 404 404 404 404 404");
            yield return ("/admin/workspaces/{WorkspaceId:guid}/audit", $"/admin/workspaces/{id}/audit", own ? "in 200 403 403 403 404" : "in 404 404 404 404 404");
            yield return ("/admin/workspaces/{WorkspaceId:guid}/tenants/new", $"/admin/workspaces/{id}/tenants/new", own ? "in 200 200 403 403 404" : "in 404 404 404 404 404");
        }

        foreach (var (id, own) in new[] { (d.ContosoEu.ToString(), true), (d.FabrikamTenant.ToString(), false), (unknownGuid, false) })
        {
            string Rule(string ownRow) => own ? ownRow : "in 404 404 404 404 404";
            yield return ("/admin/tenants/{TenantId:guid}", $"/admin/tenants/{id}", Rule("in 200 200 200 200 404"));
            yield return ("/admin/tenants/{TenantId:guid}/edit", $"/admin/tenants/{id}/edit", Rule("in 200 200 403 403 404"));
            yield return ("/admin/tenants/{TenantId:guid}/inventory", $"/admin/tenants/{id}/inventory", Rule("in 200 200 200 200 404"));
            yield return ("/admin/tenants/{TenantId:guid}/directory", $"/admin/tenants/{id}/directory", Rule("in 200 200 200 200 404"));
            yield return ("/admin/tenants/{TenantId:guid}/configuration", $"/admin/tenants/{id}/configuration", Rule("in 200 200 200 200 404"));
            yield return ("/admin/tenants/{TenantId:guid}/backups", $"/admin/tenants/{id}/backups", Rule("in 200 200 200 403 404"));
            yield return ("/admin/tenants/{TenantId:guid}/backups/sets", $"/admin/tenants/{id}/backups/sets", Rule("in 200 200 200 403 404"));
            yield return ("/admin/tenants/{TenantId:guid}/backups/new", $"/admin/tenants/{id}/backups/new", Rule("in 200 200 403 403 404"));
            // tenant.restore.execute: owner and manager only.
            yield return ("/admin/tenants/{TenantId:guid}/restores", $"/admin/tenants/{id}/restores", Rule("in 200 200 403 403 404"));
            yield return ("/admin/tenants/{TenantId:guid}/restores/new", $"/admin/tenants/{id}/restores/new", Rule("in 200 200 403 403 404"));
        }

        foreach (var (id, own) in new[] { (f.OwnSchedule.ToString(), true), (f.OtherSchedule.ToString(), false), (unknownGuid, false) })
        {
            yield return ("/admin/backup-schedules/{ScheduleId:guid}", $"/admin/backup-schedules/{id}", own ? "in 200 200 200 403 404" : "in 404 404 404 404 404");
            yield return ("/admin/backup-schedules/{ScheduleId:guid}/edit", $"/admin/backup-schedules/{id}/edit", own ? "in 200 200 403 403 404" : "in 404 404 404 404 404");
        }

        foreach (var (id, own) in new[] { (f.OwnSet.ToString(), true), (f.OtherSet.ToString(), false), (unknownGuid, false) })
        {
            yield return ("/admin/backup-sets/{SetId:guid}", $"/admin/backup-sets/{id}", own ? "in 200 200 200 403 404" : "in 404 404 404 404 404");
            yield return ("/admin/backup-sets/{SetId:guid}/compare", $"/admin/backup-sets/{id}/compare?with=current", own ? "in 200 200 200 403 404" : "in 404 404 404 404 404");
        }

        // A restore request's access is its target tenant's (tenant.restore.execute).
        foreach (var (id, own) in new[] { (f.OwnRequest.ToString(), true), (f.OtherRequest.ToString(), false), (unknownGuid, false) })
        {
            yield return ("/admin/restores/{RequestId:guid}", $"/admin/restores/{id}", own ? "in 200 200 403 403 404" : "in 404 404 404 404 404");
        }

        // An inventory sync: its capability (tenant.inventory.sync) is the operator's, not the readonly member's.
        foreach (var (id, own) in new[] { (f.OwnRun.ToString(), true), (f.OtherRun.ToString(), false), (long.MaxValue.ToString(), false) })
        {
            yield return ("/admin/operations/{RunId:long}", $"/admin/operations/{id}", own ? "in 200 200 200 403 404" : "in 404 404 404 404 404");
        }
    }

    [Fact]
    public void Every_routable_page_has_rows_in_the_matrix()
    {
        var matrix = Matrix(fixture).ToList();
        var routes = RoutesOfTheProduct();

        var missing = routes.Where(r => matrix.All(m => m.Template != r.Template)).Select(r => $"{r.Template} ({r.Page})").ToList();
        missing.Should().BeEmpty("every routable page needs rows in the page access matrix (PageAccessMatrixTests.Matrix): who gets 200, 403, 404 or the sign-in page");
        var stale = matrix.Select(m => m.Template).Distinct().Where(t => routes.All(r => r.Template != t)).ToList();
        stale.Should().BeEmpty("the matrix names only routes that exist");
    }

    [Fact]
    public async Task Every_routable_page_answers_each_role_as_the_matrix_says()
    {
        var matrix = Matrix(fixture).ToList();
        var failures = new StringBuilder();
        var clients = await fixture.ClientsAsync();
        foreach (var (template, path, expected) in matrix)
        {
            var wanted = expected.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            wanted.Should().HaveCount(Roles.Length, $"the row of {path} has one outcome per role ({string.Join(", ", Roles)})");
            for (var i = 0; i < Roles.Length; i++)
            {
                var actual = Outcome(await clients[Roles[i]].GetAsync(path));
                if (actual != wanted[i])
                {
                    failures.AppendLine($"{path} ({template}) as {Roles[i]}: expected {wanted[i]}, got {actual}");
                }
            }
        }

        failures.ToString().Should().BeEmpty("each page decides access exactly as its row in the matrix says");
    }

    private static string Outcome(HttpResponseMessage response) => response.RedirectPath() switch
    {
        { } to when to.StartsWith("/Account/Login", StringComparison.Ordinal) => "in",
        { } to => "to:" + to,
        null => ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    /// <summary>
    /// Every <c>@page</c> of the host, the assemblies it references and every module of the catalogue (the host loads modules
    /// by name, so a module whose types the host never names is not among its compile-time references). The emulator is
    /// not part of the product.
    /// </summary>
    private static List<(string Template, string Page)> RoutesOfTheProduct()
    {
        var web = typeof(Program).Assembly;
        var assemblies = web.GetReferencedAssemblies().Where(a => a.Name!.StartsWith("TenantAtlas.", StringComparison.Ordinal))
            .Select(Assembly.Load)
            .Concat(TenantAtlas.BuildingBlocks.Modules.ModuleCatalogue.Modules.Select(m => m.Assembly))
            .Append(web).Distinct();
        return [.. assemblies.SelectMany(a => a.GetTypes())
            .SelectMany(t => t.GetCustomAttributes<RouteAttribute>().Select(r => (r.Template, Page: t.FullName!)))];
    }

    /// <summary>One app, one seed: the demo with its run history and schedules, a manager, and a backup set per workspace.</summary>
    public sealed class MatrixFixture : AppFixture, IAsyncLifetime
    {
        private Dictionary<string, HttpClient>? clients;

        public Guid OwnSchedule { get; private set; }

        public Guid OtherSchedule { get; private set; }

        public Guid OwnSet { get; private set; }

        public Guid OtherSet { get; private set; }

        public long OwnRun { get; private set; }

        public Guid OwnRequest { get; private set; }

        public Guid OtherRequest { get; private set; }

        public long OtherRun { get; private set; }

        protected override TenantAtlasApp CreateApp(string connectionString) =>
            new TenantAtlasApp(connectionString).WithSetting("Demo:History", "true").WithSetting("Demo:BackupSchedules", "true");

        public new async Task InitializeAsync()
        {
            await base.InitializeAsync();
            var admin = App.Services.GetRequiredService<IAccessAdministration>();
            var manager = await admin.EnsureUserAsync("manager-matrix@demo.test", SignIn.DemoPassword, false);
            await admin.EnsureMembershipAsync(Demo.Contoso, manager, WorkspaceRole.Manager);

            OwnSchedule = await Database.ScalarAsync<Guid>("SELECT id FROM backup.backup_schedules WHERE tenant_id = $1 ORDER BY name LIMIT 1", Demo.ContosoEu);
            OtherSchedule = await Database.ScalarAsync<Guid>("SELECT id FROM backup.backup_schedules WHERE tenant_id = $1 ORDER BY name LIMIT 1", Demo.FabrikamTenant);
            OwnRun = await Database.ScalarAsync<long>("SELECT id FROM operations.operation_runs WHERE tenant_id = $1 AND type = 'inventory.sync' ORDER BY id LIMIT 1", Demo.ContosoEu);
            OtherRun = await Database.ScalarAsync<long>("SELECT id FROM operations.operation_runs WHERE tenant_id = $1 AND type = 'inventory.sync' ORDER BY id LIMIT 1", Demo.FabrikamTenant);
            OwnSet = await AddSetAsync(Demo.Contoso, Demo.ContosoEu, OwnRun);
            OtherSet = await AddSetAsync(Demo.Fabrikam, Demo.FabrikamTenant, OtherRun);
            OwnRequest = await AddRestoreRequestAsync(Demo.Contoso, Demo.ContosoEu, OwnSet);
            OtherRequest = await AddRestoreRequestAsync(Demo.Fabrikam, Demo.FabrikamTenant, OtherSet);
        }

        public async Task<Dictionary<string, HttpClient>> ClientsAsync() => clients ??= new()
        {
            ["anonymous"] = App.CreateBrowserLikeClient(),
            ["owner"] = await SignedInAsync("owner@demo.test"),
            ["manager"] = await SignedInAsync("manager-matrix@demo.test"),
            ["operator"] = await SignedInAsync("operator@demo.test"),
            ["readonly"] = await SignedInAsync("readonly@demo.test"),
            ["admin"] = await SignedInAsync("admin@demo.test"),
        };

        private async Task<Guid> AddRestoreRequestAsync(Guid workspace, Guid tenant, Guid set)
        {
            var id = Guid.CreateVersion7();
            await Database.ExecuteAsync(
                "INSERT INTO restore.restore_requests (id, workspace_id, target_tenant_id, source_tenant_id, source_backup_set_id, families, item_ids, copy_suffix, created_by_user_id, created_by, created_at, updated_at) " +
                "VALUES ($1, $2, $3, $3, $4, ARRAY['deviceConfigurations'], ARRAY[]::bigint[], ' (restored)', $5, 'owner@demo.test', now(), now())", id, workspace, tenant, set, Demo.Owner);
            return id;
        }

        private async Task<Guid> AddSetAsync(Guid workspace, Guid tenant, long run)
        {
            var id = Guid.CreateVersion7();
            await Database.ExecuteAsync(
                "INSERT INTO backup.backup_sets (id, workspace_id, tenant_id, schedule_id, operation_run_id, run_type, families, created_at, item_count, failed_count, size_bytes) " +
                "VALUES ($1, $2, $3, NULL, $4, 'backup.run_now', ARRAY['deviceConfigurations'], now(), 0, 0, 0)", id, workspace, tenant, run);
            return id;
        }
    }
}
