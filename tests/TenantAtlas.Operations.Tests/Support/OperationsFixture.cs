using System.Text.Json.Nodes;
using TenantAtlas.Access.Contracts;
using TenantAtlas.Operations.Contracts;
using TenantAtlas.Testing.Hosting;

namespace TenantAtlas.Operations.Tests.Support;

/// <summary>The app with the test operation types, fast heartbeats, and no Hangfire server (tests run the job base directly).</summary>
public class OperationsFixture : AppFixture
{
    protected override TenantAtlasApp CreateApp(string connectionString) =>
        Configure(new TenantAtlasApp(connectionString));

    public static TenantAtlasApp Configure(TenantAtlasApp app) => app
        .WithSetting("Operations:HeartbeatInterval", "00:00:00.200")
        .WithSetting("Operations:StaleAfter", "00:00:02")
        .WithSetting("Operations:DispatchClaimTimeout", "00:00:01")
        .WithServices(s => s.AddTestOperations());

    public IOperationRuns Runs => App.Services.GetRequiredService<IOperationRuns>();

    public TestJobControl Jobs => App.Services.GetRequiredService<TestJobControl>();

    public async Task<OperationRunView> StartAsync(string type, Guid? tenant = null, Actor? actor = null, JsonObject? inputs = null)
    {
        var result = await Runs.StartAsync(actor ?? Actor.User(Demo.Owner), new StartRequest(type, tenant ?? Demo.ContosoEu) { Inputs = inputs });
        result.Started.Should().BeTrue(result.Message);
        return result.Run!;
    }

    /// <summary>Runs the job base for a run as a Hangfire worker would.</summary>
    public Task RunJobAsync(long runId, CancellationToken cancellationToken = default) =>
        App.Services.GetRequiredService<TenantAtlas.Operations.Jobs.OperationJobRunner>().RunAsync(runId, cancellationToken);
}
