using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using TenantAtlas.Backup.Data;
using TenantAtlas.Graph.Contracts;

namespace TenantAtlas.Backup.Tests.Support;

/// <summary>The Backup fixture with one schedule of Contoso-EU and one backup set (three items, two families) of a real run.</summary>
public sealed class BackupPagesFixture : BackupFixture, IAsyncLifetime
{
    public Guid ScheduleId { get; private set; }

    public Guid SetId { get; private set; }

    public long RunId { get; private set; }

    public new async Task InitializeAsync()
    {
        await base.InitializeAsync();
        ScheduleId = await CreateScheduleAsync(Nightly("Nightly pages"));
        var run = await BackupRuns.RunNowAsync(Demo.Owner, ScheduleId);
        RunId = run.Run!.Id;
        SetId = await AddSetAsync(RunId, ScheduleId);
    }

    /// <summary>Stores a set for a run as the job would: three policies, content and assignments as jsonb.</summary>
    internal async Task<Guid> AddSetAsync(long runId, Guid? scheduleId)
    {
        var set = new BackupSet
        {
            Id = Guid.CreateVersion7(),
            WorkspaceId = Demo.Contoso,
            TenantId = Demo.ContosoEu,
            ScheduleId = scheduleId,
            OperationRunId = runId,
            RunType = OperationTypes.BackupRunNow,
            Families = [GraphResourceKeys.DeviceConfigurations, GraphResourceKeys.ConfigurationPolicies],
            CreatedAt = DateTimeOffset.UtcNow,
        };
        set.Items.Add(Item(set.Id, GraphResourceKeys.DeviceConfigurations, "Win10 baseline", new JsonObject
        {
            ["@odata.type"] = "#microsoft.graph.windows10GeneralConfiguration", ["id"] = "dc-1", ["displayName"] = "Win10 baseline",
            ["passwordRequired"] = true, ["nested"] = new JsonObject { ["unicode"] = "Grüße \"quoted\" <tag>", ["list"] = new JsonArray(1, 2.5, null) },
        }));
        set.Items.Add(Item(set.Id, GraphResourceKeys.DeviceConfigurations, "iOS restrictions", new JsonObject
        {
            ["@odata.type"] = "#microsoft.graph.iosGeneralDeviceConfiguration", ["id"] = "dc-2", ["displayName"] = "iOS restrictions",
        }));
        set.Items.Add(Item(set.Id, GraphResourceKeys.ConfigurationPolicies, "Edge settings", new JsonObject
        {
            ["id"] = "cp-1", ["name"] = "Edge settings", ["settings"] = new JsonArray(new JsonObject { ["settingInstance"] = new JsonObject { ["value"] = 42 } }),
        }));
        set.ItemCount = set.Items.Count;
        set.SizeBytes = set.Items.Sum(i => i.SizeBytes);
        await using var db = await App.Services.GetRequiredService<IDbContextFactory<BackupDbContext>>().CreateDbContextAsync();
        db.Sets.Add(set);
        await db.SaveChangesAsync();
        return set.Id;
    }

    private static BackupItem Item(Guid setId, string family, string name, JsonObject content)
    {
        var assignments = new JsonArray(new JsonObject { ["target"] = new JsonObject { ["groupId"] = Guid.NewGuid().ToString() } }).ToJsonString();
        var bytes = Encoding.UTF8.GetBytes(content.ToJsonString() + "\n" + assignments);
        return new BackupItem
        {
            BackupSetId = setId,
            Family = family,
            GraphId = content["id"]!.GetValue<string>(),
            DisplayName = name,
            ODataType = content["@odata.type"]?.GetValue<string>(),
            Content = content.ToJsonString(),
            Assignments = assignments,
            ContentHash = Convert.ToHexStringLower(SHA256.HashData(bytes)),
            SizeBytes = bytes.Length,
        };
    }
}
