using TenantAtlas.Graph.Contracts.Diff;
using TenantAtlas.Restore.Contracts;
using TenantAtlas.Restore.Data;
using TenantAtlas.Restore.Planning;

namespace TenantAtlas.Restore.Pages;

/// <summary>Words the restore pages share.</summary>
internal static class RestorePageText
{
    public static string Selection(RestoreRequestView request)
    {
        var parts = new List<string>();
        if (request.Families.Count > 0)
        {
            parts.Add(request.Families.Count == 1 ? "1 family" : $"{request.Families.Count} families");
        }

        if (request.ItemIds.Count > 0)
        {
            parts.Add(request.ItemIds.Count == 1 ? "1 item" : $"{request.ItemIds.Count} items");
        }

        return parts.Count == 0 ? "—" : string.Join(" + ", parts);
    }

    /// <summary>The URL value of an action filter (<c>?action=create</c>).</summary>
    public static string Key(PlanAction action) => action.ToString().ToLowerInvariant();

    public static string Label(PlanAction action) => action switch
    {
        PlanAction.Create => "Create",
        PlanAction.Update => "Update",
        PlanAction.Skip => "Skip (identical)",
        PlanAction.Conflict => "Conflict",
        PlanAction.Delete => "Delete",
        _ => "Blocked",
    };

    public static MudBlazor.Color Color(PlanAction action) => action switch
    {
        PlanAction.Create => MudBlazor.Color.Success,
        PlanAction.Update => MudBlazor.Color.Info,
        PlanAction.Skip => MudBlazor.Color.Default,
        PlanAction.Conflict => MudBlazor.Color.Warning,
        // Destructive: a rollback deletes what the restore created.
        PlanAction.Delete => MudBlazor.Color.Error,
        _ => MudBlazor.Color.Error,
    };

    /// <summary>The URL value of a result filter (<c>?result=failed</c>).</summary>
    public static string Key(ItemResult result) => result == ItemResult.NotRun ? "not-run" : result.ToString().ToLowerInvariant();

    public static string Label(ItemResult result) => result switch
    {
        ItemResult.Writing => "Writing…",
        ItemResult.Created => "Created",
        ItemResult.Updated => "Updated",
        ItemResult.Deleted => "Deleted",
        ItemResult.Skipped => "Skipped",
        ItemResult.Conflict => "Conflict",
        ItemResult.Blocked => "Blocked",
        ItemResult.Failed => "Failed",
        _ => "Not run",
    };

    /// <summary>Green for what was written as planned, amber for what was left alone for a reason, red for a failure.</summary>
    public static MudBlazor.Color Color(ItemResult result) => result switch
    {
        ItemResult.Writing => MudBlazor.Color.Info,
        ItemResult.Created or ItemResult.Updated or ItemResult.Deleted => MudBlazor.Color.Success,
        ItemResult.Skipped => MudBlazor.Color.Default,
        ItemResult.Conflict or ItemResult.Blocked => MudBlazor.Color.Warning,
        ItemResult.Failed => MudBlazor.Color.Error,
        _ => MudBlazor.Color.Dark,
    };

    /// <summary>The execute confirmation: exactly what will happen, in the plan's numbers.</summary>
    public static string ExecuteConfirmation(string targetTenantName, int creates, int updates, int deletes, int skips, int notWritten)
    {
        var text = $"Restore into {targetTenantName} exactly as planned: {creates} create, {updates} update, {deletes} delete, {skips} skipped (identical).";
        if (notWritten > 0)
        {
            text += $" {notWritten} item(s) in conflict or blocked are not written.";
        }

        return text + " A snapshot of the target is taken first; you can roll back.";
    }

    /// <summary>The rollback confirmation: what the new request will take back.</summary>
    public static string RollbackConfirmation(string targetTenantName, int updated, int created, int deleted)
    {
        var parts = new List<string>();
        if (updated > 0)
        {
            parts.Add($"puts the {updated} updated object(s) back as the snapshot taken before the restore has them");
        }

        if (created > 0)
        {
            parts.Add($"deletes the {created} object(s) the restore created");
        }

        if (deleted > 0)
        {
            parts.Add($"creates again the {deleted} object(s) it deleted");
        }

        return $"A new restore request into {targetTenantName} {string.Join(", and ", parts)}. It is planned now and opens for review: "
            + "nothing in the tenant changes until you execute it.";
    }

    public static string Match(PlanMatch match) => match switch
    {
        PlanMatch.None => "no match in the target",
        PlanMatch.Id => "same id",
        PlanMatch.Name => "same type and name",
        PlanMatch.Ambiguous => "several objects could be it",
        PlanMatch.Chosen => "picked by an admin",
        PlanMatch.TenantDefault => "the target's default of the same type",
        _ => "created as a copy",
    };

    public static string Kind(FieldChangeKind kind) => kind switch
    {
        FieldChangeKind.Changed => "changed",
        FieldChangeKind.Added => "added",
        _ => "removed",
    };

    public static string Kind(ReferenceKind kind) => kind switch
    {
        ReferenceKind.Group => "Group",
        ReferenceKind.AssignmentFilter => "Assignment filter",
        ReferenceKind.NotificationTemplate => "Notification template",
        ReferenceKind.ReusableSetting => "Reusable setting",
        _ => "Scope tag",
    };

    /// <summary>The dependency map's "map to …" label for a kind picked from what the plan read (groups have their picker).</summary>
    public static string MapLabel(ReferenceKind kind) => kind switch
    {
        ReferenceKind.AssignmentFilter => "Map to a filter of the target",
        ReferenceKind.NotificationTemplate => "Map to a notification template of the target",
        ReferenceKind.ReusableSetting => "Map to a reusable setting of the target",
        _ => "Map to a scope tag of the target",
    };

    /// <summary>What "drop" leaves out, per kind: the button and the note after the choice.</summary>
    public static string DropLabel(ReferenceKind kind) => kind switch
    {
        ReferenceKind.ScopeTag => "Drop the scope tag",
        ReferenceKind.NotificationTemplate => "Drop its notification actions",
        ReferenceKind.ReusableSetting => "Drop its setting values",
        _ => "Drop its assignments",
    };

    public static string Dropped(ReferenceKind kind) => kind switch
    {
        ReferenceKind.ScopeTag => "The scope tag will be dropped.",
        ReferenceKind.NotificationTemplate => "The notification actions using it will be dropped.",
        ReferenceKind.ReusableSetting => "The setting values naming it will be dropped.",
        _ => "Its assignments will be dropped.",
    };

    public static string Resolution(ReferenceResolution resolution) => resolution switch
    {
        ReferenceResolution.SameId => "same id",
        ReferenceResolution.UniqueName => "same name",
        ReferenceResolution.Mapped => "mapped",
        ReferenceResolution.Dropped => "dropped",
        ReferenceResolution.Unresolved => "unresolved",
        _ => "ambiguous",
    };

    /// <summary>Who an assignment targets, for people.</summary>
    public static string Target(AssignmentTarget target)
    {
        var who = target.TargetType switch
        {
            "allDevicesAssignmentTarget" => "All devices",
            "allLicensedUsersAssignmentTarget" => "All users",
            _ when target.GroupId is not null => (target.IsExclusion ? "Exclude group " : "Group ") + target.GroupId,
            _ => target.TargetType,
        };
        if (target.FilterId is not null)
        {
            who += $" · filter {target.FilterId} ({target.FilterType})";
        }

        return target.Intent is { } intent ? $"{who} · {intent}" : who;
    }
}
