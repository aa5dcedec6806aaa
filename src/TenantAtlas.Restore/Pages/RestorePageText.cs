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
        _ => "Blocked",
    };

    public static MudBlazor.Color Color(PlanAction action) => action switch
    {
        PlanAction.Create => MudBlazor.Color.Success,
        PlanAction.Update => MudBlazor.Color.Info,
        PlanAction.Skip => MudBlazor.Color.Default,
        PlanAction.Conflict => MudBlazor.Color.Warning,
        _ => MudBlazor.Color.Error,
    };

    public static string Match(PlanMatch match) => match switch
    {
        PlanMatch.None => "no match in the target",
        PlanMatch.Id => "same id",
        PlanMatch.Name => "same type and name",
        PlanMatch.Ambiguous => "several objects could be it",
        PlanMatch.Chosen => "picked by an admin",
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
        _ => "Scope tag",
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
