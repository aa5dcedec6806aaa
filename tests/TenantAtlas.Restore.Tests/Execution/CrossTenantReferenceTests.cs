using System.Text.Json.Nodes;
using TenantAtlas.Graph.Contracts;
using TenantAtlas.Graph.Contracts.Diff;
using TenantAtlas.GraphEmulator;
using TenantAtlas.Restore.Data;
using TenantAtlas.Restore.Planning;

namespace TenantAtlas.Restore.Tests.Execution;

/// <summary>
/// A compliance policy restored into another tenant against the emulator: the notification template its e-mail action
/// names is the source tenant's, so the plan blocks it until the target has a template of that name, and once it has, the
/// created policy names the target's template.
/// </summary>
[Collection(RestoreCollection.Name)]
public sealed class CrossTenantReferenceTests(RestoreFixture fixture)
{
    private const string Compliance = GraphResourceKeys.CompliancePolicies;
    private const string Templates = GraphResourceKeys.NotificationMessageTemplates;

    private readonly ExecuteSupport support = new(fixture);

    [Fact]
    public async Task A_compliance_policy_restored_into_another_tenant_names_the_targets_notification_template_once_it_has_one_of_that_name()
    {
        // No groups in the source: its policies assign none, so only their templates stand between them and the target.
        var (source, sourceId) = await fixture.NewTenantAsync(s => { s.Groups = 0; s.FamilyCounts = new() { [Compliance] = 6 }; });
        var (target, targetId) = await fixture.NewTenantAsync(s => { s.Seed = 12; s.Policies = 0; s.FamilyCounts = new() { [Compliance] = 0, [Templates] = 0 }; });
        var set = await fixture.BackupAsync(sourceId, Compliance);
        var items = await fixture.BackupSets.ReadItemsAsync(set.Id, [.. (await fixture.BackupSets.ListItemsAsync(set.Id)).Select(i => i.Id)]);
        var notifying = items.Where(i => GraphReferences.Collect(i.Content, i.Assignments).NotificationTemplateIds.Count > 0).ToList();
        notifying.Should().NotBeEmpty("the seeded compliance policies send e-mails with the tenant's own templates");
        var sourceTemplates = notifying.SelectMany(i => GraphReferences.Collect(i.Content, i.Assignments).NotificationTemplateIds).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        sourceTemplates.Should().OnlyContain(id => source.Get(Templates, id) != null, "a seeded action names a template its tenant has");
        var names = sourceTemplates.ToDictionary(id => id, id => source.Get(Templates, id)!["displayName"]!.GetValue<string>(), StringComparer.OrdinalIgnoreCase);

        // The target has no template yet: every policy with an e-mail action is blocked, the others restore.
        var requestId = await support.RequestAsync(set.Id, targetId, Compliance);
        var blockedPlan = await support.PlanAsync(requestId);
        PlanJson.Read<List<PlanReference>>(blockedPlan.References, []).Where(r => r.Kind == ReferenceKind.NotificationTemplate).Should()
            .HaveCount(sourceTemplates.Count).And.OnlyContain(r => r.Resolution == ReferenceResolution.Unresolved && r.SourceDisplayName == names[r.SourceId]);
        var notifyingIds = notifying.Select(i => i.Id).ToHashSet();
        blockedPlan.Items.Where(i => notifyingIds.Contains(i.BackupItemId!.Value)).Should()
            .OnlyContain(i => i.Action == PlanAction.Blocked && i.Reason!.Contains("Notification template \"", StringComparison.Ordinal), "the template is the source tenant's");
        blockedPlan.Items.Where(i => !notifyingIds.Contains(i.BackupItemId!.Value)).Should().OnlyContain(i => i.Action == PlanAction.Create);

        // The admin creates the templates in the target (and another one): the plan maps each by its name.
        target.AddPolicy(Templates, "Another template");
        var targetTemplates = names.Values.Distinct(StringComparer.Ordinal)
            .ToDictionary(name => name, name => target.AddPolicy(Templates, name)["id"]!.GetValue<string>(), StringComparer.Ordinal);
        var again = await support.RequestAsync(set.Id, targetId, Compliance);
        var plan = await support.PlanAsync(again);
        var references = PlanJson.Read<List<PlanReference>>(plan.References, []);
        references.Where(r => r.Kind == ReferenceKind.NotificationTemplate).Should().HaveCount(sourceTemplates.Count)
            .And.OnlyContain(r => r.Resolution == ReferenceResolution.UniqueName && r.TargetId == targetTemplates[names[r.SourceId]]);
        plan.Items.Should().OnlyContain(i => i.Action == PlanAction.Create, string.Join("; ", plan.Items.Select(i => i.Reason)));
        var run = await support.ExecuteAsync(again, plan.Id);

        run.Outcome.Should().Be(OperationRunOutcome.Succeeded, string.Join("; ", run.Failures.Select(f => f.Message)));
        var ledger = await support.LedgerAsync(run.Id);
        (await support.AssertTargetAsIntendedAsync(targetId, set.Id, plan, ledger)).Should().Be(items.Count);
        foreach (var item in notifying)
        {
            var createdId = ledger.Single(r => r.BackupItemId == item.Id).TargetObjectId!;
            var written = await support.Graph.GetPolicyAsync(targetId, Compliance, createdId);
            var used = GraphReferences.Collect(written.Content, null).NotificationTemplateIds;
            var expected = GraphReferences.Collect(item.Content, null).NotificationTemplateIds.Select(id => targetTemplates[names[id]]);
            used.Should().BeEquivalentTo(expected, $"\"{item.DisplayName}\" e-mails with the target's template, not the source's id");
            used.Should().OnlyContain(id => target.Get(Templates, id) != null);
        }
    }
}
