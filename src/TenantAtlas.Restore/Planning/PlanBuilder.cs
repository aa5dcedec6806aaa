using System.Globalization;
using System.Text.Json.Nodes;
using TenantAtlas.Graph.Contracts.Diff;
using TenantAtlas.Restore.Contracts;
using TenantAtlas.Restore.Data;

namespace TenantAtlas.Restore.Planning;

/// <summary>
/// The restore plan's decisions, pure (no I/O): which object of the target each selected item is (<see cref="Match"/>),
/// how every referenced group, assignment filter, scope tag, notification template and reusable setting resolves in the
/// target (<see cref="ResolveReferences"/>),
/// and per item the action, the field and assignment diffs and what blocks it (<see cref="Build"/>).
/// docs/modules/restore.md "Request → plan" states the rules; specs/005-restore traces them to tests.
/// </summary>
internal static class PlanBuilder
{
    /// <summary>The built-in scope tag "Default": the same in every tenant.</summary>
    public const string DefaultScopeTagId = "0";

    /// <summary>
    /// Matches each item in its family's listing of the target: the admin's choice (copy, or the picked object) → same id →
    /// same <c>@odata.type</c> and the only object with the item's name → none. Several candidates are a conflict, never a
    /// guess; so are several selected items that would update one object.
    /// </summary>
    public static IReadOnlyList<ItemMatch> Match(IReadOnlyList<SourceItem> items, IReadOnlyDictionary<string, IReadOnlyList<TargetObject>> listings, PlanSettings settings)
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(listings);
        ArgumentNullException.ThrowIfNull(settings);
        var choices = settings.ItemChoices.GroupBy(c => c.BackupItemId).ToDictionary(g => g.Key, g => g.Last());
        var matches = items.Select(item => MatchOne(item, listings.GetValueOrDefault(item.Family) ?? [], choices.GetValueOrDefault(item.Id), settings)).ToList();

        // Two selected items that would both write one object: neither is a guess the plan may make.
        var shared = matches.Where(m => m.Verdict is null && m.Target is not null)
            .GroupBy(m => (m.Item.Family, m.Target!.Id.ToLowerInvariant())).Where(g => g.Count() > 1).SelectMany(g => g).ToHashSet();
        return [.. matches.Select(m => shared.Contains(m)
            ? m with
            {
                Match = PlanMatch.Ambiguous,
                Candidates = [Candidate(m.Target!)],
                Verdict = PlanAction.Conflict,
                Reason = $"Several selected items match \"{m.Target!.DisplayName}\" in the target tenant: pick another object or create a copy for all but one.",
                Target = null,
            }
            : m)];
    }

    private static ItemMatch MatchOne(SourceItem item, IReadOnlyList<TargetObject> listing, ItemChoice? choice, PlanSettings settings)
    {
        if (!settings.Families.TryGetValue(item.Family, out var restorable))
        {
            return new ItemMatch(item, PlanMatch.None, null, [], PlanAction.Blocked, $"The family '{item.Family}' is unknown to this version of TenantAtlas.");
        }

        if (!restorable)
        {
            return new ItemMatch(item, PlanMatch.None, null, [], PlanAction.Blocked, settings.CannotRestore(item.Family, "restore"));
        }

        if (settings.BuiltInProperties?.GetValueOrDefault(item.Family) is { } builtIn
            && item.Content?[builtIn] is JsonValue flag && flag.TryGetValue<bool>(out var isBuiltIn) && isBuiltIn)
        {
            return new ItemMatch(item, PlanMatch.None, null, [], PlanAction.Blocked,
                $"\"{item.DisplayName}\" is built into Intune: it cannot be created or changed, so TenantAtlas restores only the custom ones.");
        }

        if (settings.CrossTenant && settings.CrossTenantBlockedReasons?.GetValueOrDefault(item.Family) is { } sameTenantOnly)
        {
            return new ItemMatch(item, PlanMatch.None, null, [], PlanAction.Blocked,
                $"TenantAtlas restores objects of the family '{item.Family}' only into the tenant they were backed up from: {sameTenantOnly}");
        }

        if (item.Content is null)
        {
            return new ItemMatch(item, PlanMatch.None, null, [], PlanAction.Blocked, $"The backup item cannot be read: {item.Unreadable ?? "its stored content is not an object"}.");
        }

        if (settings.IsTenantDefault(item))
        {
            return MatchTenantDefault(item, listing, choice, settings);
        }

        if (choice?.Mode == RestoreItemMode.CreateCopy)
        {
            return new ItemMatch(item, PlanMatch.Copy, null, []);
        }

        if (choice?.TargetObjectId is { } picked)
        {
            var chosen = listing.FirstOrDefault(o => SameId(o.Id, picked));
            return chosen is null
                ? new ItemMatch(item, PlanMatch.Chosen, null, [], PlanAction.Conflict,
                    $"The object picked for this item ({picked}) no longer exists in the target tenant: pick another or create a copy.")
                : TypeChecked(new ItemMatch(item, PlanMatch.Chosen, chosen, []), settings);
        }

        if (listing.FirstOrDefault(o => SameId(o.Id, item.GraphId)) is { } byId)
        {
            return TypeChecked(new ItemMatch(item, PlanMatch.Id, byId, []), settings);
        }

        if (settings.MatchByIdOnly)
        {
            return new ItemMatch(item, PlanMatch.None, null, []);
        }

        // A namesake of another kind (type, an intent's template) or the target's built-in default is another object: the
        // item is created beside it rather than written over it.
        var candidates = listing.Where(o => string.Equals(o.DisplayName, item.DisplayName, StringComparison.Ordinal) && SameType(o.ODataType, item.ODataType)
            && settings.SameFixedValue(item, o) && !settings.IsTenantDefault(item.Family, o)).ToList();
        return candidates.Count switch
        {
            0 => new ItemMatch(item, PlanMatch.None, null, []),
            1 => new ItemMatch(item, PlanMatch.Name, candidates[0], []),
            _ => new ItemMatch(item, PlanMatch.Ambiguous, null, [.. candidates.Select(Candidate)], PlanAction.Conflict,
                $"{candidates.Count} objects of the target tenant are named \"{item.DisplayName}\": pick the one to update or create a copy."),
        };
    }

    /// <summary>
    /// A tenant's built-in default (e.g. the default enrollment restrictions): Intune lets it be updated only, and its id
    /// starts with the tenant's id, so it is the target's default of the same type or nothing — never created (a copy
    /// neither), never matched by name to an object of the admin's, never deleted or assigned.
    /// </summary>
    private static ItemMatch MatchTenantDefault(SourceItem item, IReadOnlyList<TargetObject> listing, ItemChoice? choice, PlanSettings settings)
    {
        bool PickedIsDefault(string picked) => listing.FirstOrDefault(o => SameId(o.Id, picked)) is { } pickedObject
            ? settings.IsTenantDefault(item.Family, pickedObject)
            : settings.IsTenantDefault(item.Family, picked);

        if (choice?.Mode == RestoreItemMode.CreateCopy || (choice?.TargetObjectId is { } picked && !PickedIsDefault(picked)))
        {
            return new ItemMatch(item, PlanMatch.TenantDefault, null, [], PlanAction.Blocked,
                "This is the tenant's built-in default, which Intune lets only be updated: it restores onto the target's default of the same type, not as a copy or onto another object.");
        }

        var defaults = listing.Where(o => settings.IsTenantDefault(item.Family, o) && SameType(o.ODataType, item.ODataType)).ToList();
        return defaults.Count == 1
            ? new ItemMatch(item, PlanMatch.TenantDefault, defaults[0], [])
            : new ItemMatch(item, PlanMatch.TenantDefault, null, [], PlanAction.Blocked,
                $"This is the tenant's built-in default, which Intune lets only be updated, and the target tenant has {(defaults.Count == 0 ? "no" : defaults.Count.ToString(CultureInfo.InvariantCulture))} default of its type: nothing to update, and Intune does not create defaults.");
    }

    private static ItemMatch TypeChecked(ItemMatch match, PlanSettings settings)
    {
        if (!SameType(match.Target!.ODataType, match.Item.ODataType))
        {
            return match with
            {
                Verdict = PlanAction.Blocked,
                Reason = $"The target's object is a {ShortType(match.Target.ODataType)}, the backup's a {ShortType(match.Item.ODataType)}: a restore never changes an object's type.",
            };
        }

        return settings.SameFixedValue(match.Item, match.Target)
            ? match
            : match with
            {
                Verdict = PlanAction.Blocked,
                Reason = $"The target's object has {settings.FixedProperties![match.Item.Family]} {match.Target.Fixed}, the backup's {settings.FixedValue(match.Item)}: "
                    + "Intune keeps it for the object's life, so a restore cannot write one onto the other. Create a copy instead.",
            };
    }

    /// <summary>
    /// The dependency map: every group, assignment filter, scope tag, notification template and reusable setting id the
    /// items reference, resolved in the target —
    /// the admin's stored choice (map, drop) → the built-in scope tag "0" → same id → the only object with the source
    /// object's name → unresolved or ambiguous. A cross-tenant scope tag counts as "same id" only when its name agrees too:
    /// scope tag ids are small numbers every tenant counts from 1.
    /// </summary>
    public static IReadOnlyList<PlanReference> ResolveReferences(IReadOnlyList<SourceItem> items, ReferenceDirectory directory, PlanSettings settings)
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(directory);
        ArgumentNullException.ThrowIfNull(settings);
        var usedBy = new Dictionary<(ReferenceKind, string), (string Id, int Count)>();
        foreach (var item in items.Where(i => i.Content is not null))
        {
            var set = GraphReferences.Collect(item.Content, item.Assignments);
            foreach (var (kind, ids) in new[]
            {
                (ReferenceKind.Group, set.GroupIds), (ReferenceKind.AssignmentFilter, set.FilterIds), (ReferenceKind.ScopeTag, set.ScopeTagIds),
                (ReferenceKind.NotificationTemplate, set.NotificationTemplateIds), (ReferenceKind.ReusableSetting, set.ReusableSettingIds),
            })
            {
                foreach (var id in ids)
                {
                    var key = (kind, id.ToLowerInvariant());
                    usedBy[key] = usedBy.TryGetValue(key, out var seen) ? (seen.Id, seen.Count + 1) : (id, 1);
                }
            }
        }

        var choices = settings.ReferenceChoices.Where(c => c.Action != ReferenceAction.Clear)
            .GroupBy(c => (c.Kind, c.SourceId.ToLowerInvariant())).ToDictionary(g => g.Key, g => g.Last());
        return [.. usedBy.OrderBy(e => e.Key.Item1).ThenBy(e => e.Value.Id, StringComparer.Ordinal)
            .Select(e => ResolveOne(e.Key.Item1, e.Value.Id, e.Value.Count, choices.GetValueOrDefault(e.Key), directory, settings.CrossTenant))];
    }

    private static PlanReference ResolveOne(ReferenceKind kind, string sourceId, int usedBy, ReferenceChoice? choice, ReferenceDirectory directory, bool crossTenant)
    {
        var (sourceNames, targets) = kind switch
        {
            ReferenceKind.Group => (directory.SourceGroupNames, directory.TargetGroups),
            ReferenceKind.AssignmentFilter => (Names(directory.SourceFilters), directory.TargetFilters),
            ReferenceKind.NotificationTemplate => (Names(directory.SourceNotificationTemplates), directory.TargetNotificationTemplates),
            ReferenceKind.ReusableSetting => (Names(directory.SourceReusableSettings), directory.TargetReusableSettings),
            _ => (Names(directory.SourceScopeTags), directory.TargetScopeTags),
        };

        // The backup set's own copy names it when the source tenant no longer does (deleted since the backup).
        var backedUp = directory.BackedUpName(kind, sourceId);
        var sourceName = (sourceNames.TryGetValue(sourceId, out var name) ? name
            : sourceNames.FirstOrDefault(p => SameId(p.Key, sourceId)).Value) ?? backedUp;
        var byId = targets.FirstOrDefault(t => SameId(t.Id, sourceId));
        return ResolveOne(kind, sourceId, sourceName, byId, targets, usedBy, choice, crossTenant) with { InBackupSet = backedUp is not null };
    }

    private static PlanReference ResolveOne(
        ReferenceKind kind, string sourceId, string? sourceName, NamedObject? byId, IReadOnlyList<NamedObject> targets, int usedBy, ReferenceChoice? choice, bool crossTenant)
    {
        if (choice?.Action == ReferenceAction.Drop)
        {
            return new PlanReference(kind, sourceId, sourceName, ReferenceResolution.Dropped, null, null, [], usedBy);
        }

        if (choice is { Action: ReferenceAction.Map, TargetId: { } mappedId })
        {
            // A mapped object the target no longer has resolves again like any other reference would not: it blocks.
            return targets.FirstOrDefault(t => SameId(t.Id, mappedId)) is { } mapped
                ? new PlanReference(kind, sourceId, sourceName, ReferenceResolution.Mapped, mapped.Id, mapped.DisplayName, [], usedBy)
                : new PlanReference(kind, sourceId, sourceName, ReferenceResolution.Unresolved, null, null, [], usedBy);
        }

        if (kind == ReferenceKind.ScopeTag && sourceId == DefaultScopeTagId)
        {
            return new PlanReference(kind, sourceId, sourceName ?? "Default", ReferenceResolution.SameId, DefaultScopeTagId, byId?.DisplayName ?? "Default", [], usedBy);
        }

        if (byId is not null && (kind != ReferenceKind.ScopeTag || !crossTenant || sourceName is null || string.Equals(sourceName, byId.DisplayName, StringComparison.Ordinal)))
        {
            return new PlanReference(kind, sourceId, sourceName ?? byId.DisplayName, ReferenceResolution.SameId, byId.Id, byId.DisplayName, [], usedBy);
        }

        if (sourceName is null)
        {
            return new PlanReference(kind, sourceId, null, ReferenceResolution.Unresolved, null, null, [], usedBy);
        }

        var named = targets.Where(t => string.Equals(t.DisplayName, sourceName, StringComparison.Ordinal))
            .GroupBy(t => t.Id, StringComparer.OrdinalIgnoreCase).Select(g => g.First()).ToList();
        return named.Count switch
        {
            1 => new PlanReference(kind, sourceId, sourceName, ReferenceResolution.UniqueName, named[0].Id, named[0].DisplayName, [], usedBy),
            0 => new PlanReference(kind, sourceId, sourceName, ReferenceResolution.Unresolved, null, null, [], usedBy),
            _ => new PlanReference(kind, sourceId, sourceName, ReferenceResolution.Ambiguous, null, null, [.. named.Select(t => new PlanCandidate(t.Id, t.DisplayName))], usedBy),
        };
    }

    /// <summary>
    /// Every item of the plan: blocked and conflicting matches as they are; otherwise the backup's references mapped to the
    /// target's ids (dropped ones left out), diffed against the target's current object (<paramref name="details"/> by
    /// target id), and the action — create, update, skip when content and assignments are identical, blocked when an
    /// assignment or scope tag uses an unresolved or ambiguous reference. A target's assignment to a protected group that
    /// the backup does not have stays in the "after" side of an update: a restore never removes it.
    /// </summary>
    public static PlanOutcome Build(
        IReadOnlyList<ItemMatch> matches,
        IReadOnlyDictionary<string, TargetDetail> details,
        IReadOnlyList<PlanReference> references,
        ReferenceDirectory directory,
        PlanSettings settings)
    {
        ArgumentNullException.ThrowIfNull(matches);
        ArgumentNullException.ThrowIfNull(details);
        ArgumentNullException.ThrowIfNull(references);
        ArgumentNullException.ThrowIfNull(directory);
        ArgumentNullException.ThrowIfNull(settings);
        var resolved = Resolved(references);
        var map = MapOf(references);
        var protectedIds = directory.ProtectedGroups.Select(g => g.Id).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var items = matches.Select(m => BuildItem(m, details, resolved, map, protectedIds, settings)).ToList();
        return new PlanOutcome(items, references);
    }

    private static RestorePlanItem BuildItem(
        ItemMatch match,
        IReadOnlyDictionary<string, TargetDetail> details,
        Dictionary<(ReferenceKind, string), PlanReference> resolved,
        ReferenceMap map,
        HashSet<string> protectedIds,
        PlanSettings settings)
    {
        var item = match.Item;
        var detail = match.Target is { } target ? details.GetValueOrDefault(target.Id) : null;
        var row = new RestorePlanItem
        {
            BackupItemId = item.Id,
            Family = item.Family,
            SourceGraphId = item.GraphId,
            DisplayName = item.DisplayName,
            ODataType = item.ODataType,
            Match = match.Match,
            Candidates = PlanJson.Write(match.Candidates),
            TargetObjectId = match.Target?.Id,
            TargetDisplayName = match.Match == PlanMatch.Copy ? item.DisplayName + settings.CopySuffix : match.Target?.DisplayName,
            TargetLastModifiedAt = match.Target?.LastModifiedAt,
        };
        if (match.Verdict is not null || item.Content is null)
        {
            row.Action = match.Verdict ?? PlanAction.Blocked;
            row.Reason = match.Reason;
            return row;
        }

        if (match.Target is not null && detail is null)
        {
            // Listed, but gone when the plan read it in full: nothing to update; the admin plans again.
            row.Action = PlanAction.Conflict;
            row.Reason = "The matched object disappeared from the target tenant while the plan read it: plan again.";
            return row;
        }

        var blockers = new List<PlanBlocker>();
        var (mappedContent, mappedAssignments) = Intended(item.Content, item.Assignments, resolved, map, blockers);

        ObjectDiff contentDiff;
        AssignmentDiff assignmentDiff;
        var kept = new JsonArray();
        if (detail is not null)
        {
            if (!SameType(detail.ODataType, item.ODataType))
            {
                row.Action = PlanAction.Blocked;
                row.Reason = $"The target's object is a {ShortType(detail.ODataType)}, the backup's a {ShortType(item.ODataType)}: a restore never changes an object's type.";
                return row;
            }

            var after = (JsonArray)mappedAssignments.DeepClone();
            var afterTargets = after.OfType<JsonObject>().Select(a => TargetKey(AssignmentTarget.From(a))).ToHashSet(StringComparer.OrdinalIgnoreCase);
            foreach (var existing in detail.Assignments.OfType<JsonObject>())
            {
                var existingTarget = AssignmentTarget.From(existing);
                if (existingTarget.GroupId is { } group && protectedIds.Contains(group) && !afterTargets.Contains(TargetKey(existingTarget)))
                {
                    after.Add(existing.DeepClone());
                    kept.Add(existing.DeepClone());
                }
            }

            contentDiff = GraphObjectDiff.Compare(detail.Content, mappedContent, settings.CompareOptions(item.Family));
            assignmentDiff = GraphObjectDiff.CompareAssignments(detail.Assignments, after);
            row.TargetContent = PlanJson.Write(WithAssignments(detail.Content, detail.Assignments));
            row.TargetVersion = Text(detail.Content["version"]);
            row.TargetLastModifiedAt = Time(detail.Content["lastModifiedDateTime"]) ?? row.TargetLastModifiedAt;
            row.TargetDisplayName = detail.DisplayName;
        }
        else
        {
            contentDiff = ObjectDiff.Identical;
            assignmentDiff = GraphObjectDiff.CompareAssignments([], mappedAssignments);
        }

        row.ContentDiff = PlanJson.Write(contentDiff);
        row.AssignmentDiff = PlanJson.Write(assignmentDiff);
        row.ProtectedAssignments = PlanJson.Write(kept);
        row.Blockers = PlanJson.Write(blockers.Distinct().ToList());
        if (detail is not null && contentDiff.IsIdentical && assignmentDiff.IsIdentical)
        {
            row.Action = PlanAction.Skip;
            row.Reason = "Identical to the target's object once volatile fields are ignored: nothing to write.";
        }
        else if (blockers.Count > 0)
        {
            row.Action = PlanAction.Blocked;
            row.Reason = BlockedReason(blockers, resolved);
        }
        else
        {
            row.Action = detail is null ? PlanAction.Create : PlanAction.Update;
        }

        return row;
    }

    /// <summary>
    /// A rollback's delete item: the object the rolled-back execute created, as the plan read it live by id
    /// (<paramref name="live"/> null: Graph answered 404). Gone → skip ("already gone"); a family TenantAtlas cannot
    /// restore (or does not know) → blocked, since only restorable families can be deleted; otherwise delete, with the
    /// object as read stored for execute's "changed since plan" check.
    /// </summary>
    public static RestorePlanItem BuildDeletion(DeletionItem deletion, TargetDetail? live, PlanSettings settings, string reason)
    {
        ArgumentNullException.ThrowIfNull(deletion);
        ArgumentNullException.ThrowIfNull(settings);
        var row = new RestorePlanItem
        {
            DeletionId = deletion.Id,
            Family = deletion.Family,
            SourceGraphId = deletion.ObjectId,
            DisplayName = deletion.DisplayName,
            ODataType = deletion.ODataType,
            Match = PlanMatch.Id,
            TargetObjectId = deletion.ObjectId,
        };
        if (!settings.Families.TryGetValue(deletion.Family, out var restorable) || !restorable)
        {
            row.Action = PlanAction.Blocked;
            row.Reason = settings.CannotRestore(deletion.Family, "delete");
            return row;
        }

        if (live is null)
        {
            row.Action = PlanAction.Skip;
            row.Match = PlanMatch.None;
            row.Reason = "Already gone from the target tenant: nothing to delete.";
            return row;
        }

        row.Action = PlanAction.Delete;
        row.Reason = reason;
        row.TargetDisplayName = live.DisplayName;
        row.ODataType ??= live.ODataType;
        row.TargetContent = PlanJson.Write(WithAssignments(live.Content, live.Assignments));
        row.TargetVersion = Text(live.Content["version"]);
        row.TargetLastModifiedAt = Time(live.Content["lastModifiedDateTime"]);
        return row;
    }

    /// <summary>
    /// What a restore writes for a backed-up object, as the plan showed it: the content without dropped scope tags, notification
    /// actions naming a dropped template and reference values naming a dropped reusable setting, and the assignments without
    /// those using a dropped group or filter, every reference rewritten to the target's id by the
    /// plan's dependency map. References still unresolved or ambiguous are kept unmapped and added to <paramref name="blockers"/>.
    /// </summary>
    public static (JsonObject Content, JsonArray Assignments) Intended(JsonObject content, JsonArray assignments, IReadOnlyList<PlanReference> references, List<PlanBlocker> blockers)
    {
        ArgumentNullException.ThrowIfNull(content);
        ArgumentNullException.ThrowIfNull(assignments);
        ArgumentNullException.ThrowIfNull(references);
        return Intended(content, assignments, Resolved(references), MapOf(references), blockers);
    }

    private static (JsonObject Content, JsonArray Assignments) Intended(
        JsonObject content, JsonArray assignments, Dictionary<(ReferenceKind, string), PlanReference> resolved, ReferenceMap map, List<PlanBlocker> blockers) =>
        (GraphReferences.Rewrite(WithContentReferences(WithScopeTags(content, resolved, blockers), resolved, blockers), map),
            GraphReferences.RewriteAssignments(KeptAssignments(assignments, resolved, blockers), map));

    /// <summary>
    /// The content without what names a dropped notification template (its notification action) or reusable setting (its
    /// reference value); unresolved ones are kept (unmapped) and block.
    /// </summary>
    private static JsonObject WithContentReferences(JsonObject content, Dictionary<(ReferenceKind, string), PlanReference> resolved, List<PlanBlocker> blockers)
    {
        var set = GraphReferences.Collect(content, null);
        var dropped = new Dictionary<ReferenceKind, HashSet<string>>
        {
            [ReferenceKind.NotificationTemplate] = new(StringComparer.OrdinalIgnoreCase),
            [ReferenceKind.ReusableSetting] = new(StringComparer.OrdinalIgnoreCase),
        };
        foreach (var (kind, ids) in new[] { (ReferenceKind.NotificationTemplate, set.NotificationTemplateIds), (ReferenceKind.ReusableSetting, set.ReusableSettingIds) })
        {
            foreach (var reference in ids.Select(id => resolved.GetValueOrDefault((kind, id.ToLowerInvariant()))).OfType<PlanReference>())
            {
                if (reference.Resolution == ReferenceResolution.Dropped)
                {
                    dropped[kind].Add(reference.SourceId);
                }
                else if (reference.Blocks)
                {
                    blockers.Add(new PlanBlocker(kind, reference.SourceId));
                }
            }
        }

        return dropped.Values.Any(d => d.Count > 0)
            ? GraphReferences.WithoutDropped(content, dropped[ReferenceKind.NotificationTemplate], dropped[ReferenceKind.ReusableSetting])
            : content;
    }

    private static Dictionary<(ReferenceKind, string), PlanReference> Resolved(IReadOnlyList<PlanReference> references) =>
        references.GroupBy(r => (r.Kind, r.SourceId.ToLowerInvariant())).ToDictionary(g => g.Key, g => g.First());

    private static ReferenceMap MapOf(IReadOnlyList<PlanReference> references) =>
        new(MapOf(references, ReferenceKind.Group), MapOf(references, ReferenceKind.AssignmentFilter), MapOf(references, ReferenceKind.ScopeTag))
        {
            NotificationTemplateIds = MapOf(references, ReferenceKind.NotificationTemplate),
            ReusableSettingIds = MapOf(references, ReferenceKind.ReusableSetting),
        };

    /// <summary>The content without dropped scope tags; unresolved ones are kept (unmapped) and block.</summary>
    private static JsonObject WithScopeTags(JsonObject content, Dictionary<(ReferenceKind, string), PlanReference> resolved, List<PlanBlocker> blockers)
    {
        if (content["roleScopeTagIds"] is not JsonArray tags)
        {
            return content;
        }

        var kept = new JsonArray();
        foreach (var tag in tags)
        {
            var id = Text(tag);
            var reference = id is null ? null : resolved.GetValueOrDefault((ReferenceKind.ScopeTag, id.ToLowerInvariant()));
            if (reference?.Resolution == ReferenceResolution.Dropped)
            {
                continue;
            }

            if (reference is { Blocks: true })
            {
                blockers.Add(new PlanBlocker(ReferenceKind.ScopeTag, reference.SourceId));
            }

            kept.Add(tag?.DeepClone());
        }

        var copy = (JsonObject)content.DeepClone();
        copy["roleScopeTagIds"] = kept;
        return copy;
    }

    /// <summary>The assignments without those using a dropped group or filter; unresolved references are kept (unmapped) and block.</summary>
    private static JsonArray KeptAssignments(JsonArray assignments, Dictionary<(ReferenceKind, string), PlanReference> resolved, List<PlanBlocker> blockers)
    {
        var kept = new JsonArray();
        foreach (var assignment in assignments.OfType<JsonObject>())
        {
            var target = AssignmentTarget.From(assignment);
            var uses = new[] { (ReferenceKind.Group, target.GroupId), (ReferenceKind.AssignmentFilter, target.FilterId) }
                .Where(u => u.Item2 is not null)
                .Select(u => resolved.GetValueOrDefault((u.Item1, u.Item2!.ToLowerInvariant())))
                .OfType<PlanReference>().ToList();
            if (uses.Any(r => r.Resolution == ReferenceResolution.Dropped))
            {
                continue;
            }

            blockers.AddRange(uses.Where(r => r.Blocks).Select(r => new PlanBlocker(r.Kind, r.SourceId)));
            kept.Add(assignment.DeepClone());
        }

        return kept;
    }

    private static string BlockedReason(List<PlanBlocker> blockers, Dictionary<(ReferenceKind, string), PlanReference> resolved)
    {
        var named = blockers.Distinct().Select(b =>
        {
            var reference = resolved[(b.Kind, b.SourceId.ToLowerInvariant())];
            var label = reference.SourceDisplayName is { } n ? $"\"{n}\" ({b.SourceId})" : b.SourceId;
            var why = reference.Resolution == ReferenceResolution.Ambiguous ? "has several namesakes in the target tenant" : "has no match in the target tenant";
            return reference is { InBackupSet: true, Resolution: ReferenceResolution.Unresolved }
                ? $"{KindLabel(b.Kind)} {label} {why} — it is in this backup set: restore the {KindLabel(b.Kind).ToLowerInvariant()} {label} first, then plan again"
                : $"{KindLabel(b.Kind)} {label} {why}";
        });
        return "Blocked until mapped or dropped: " + string.Join("; ", named) + ".";
    }

    private static Dictionary<string, string> MapOf(IReadOnlyList<PlanReference> references, ReferenceKind kind) =>
        references.Where(r => r.Kind == kind && r.TargetId is not null
                && r.Resolution is ReferenceResolution.SameId or ReferenceResolution.UniqueName or ReferenceResolution.Mapped)
            .GroupBy(r => r.SourceId, StringComparer.OrdinalIgnoreCase)
            .ToDictionary(g => g.Key, g => g.First().TargetId!, StringComparer.OrdinalIgnoreCase);

    private static Dictionary<string, string> Names(IReadOnlyList<NamedObject> objects) =>
        objects.GroupBy(o => o.Id, StringComparer.OrdinalIgnoreCase).ToDictionary(g => g.Key, g => g.First().DisplayName, StringComparer.OrdinalIgnoreCase);

    private static JsonObject WithAssignments(JsonObject content, JsonArray assignments)
    {
        var copy = (JsonObject)content.DeepClone();
        copy["assignments"] = assignments.DeepClone();
        return copy;
    }

    private static string TargetKey(AssignmentTarget target) => target.TargetType + "|" + target.GroupId;

    private static PlanCandidate Candidate(TargetObject o) => new(o.Id, o.DisplayName, o.LastModifiedAt);

    private static bool SameId(string a, string b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);

    /// <summary>Types compare without the leading <c>#</c>; a side that does not say its type (settings catalog listings) matches any.</summary>
    internal static bool SameType(string? a, string? b) =>
        string.IsNullOrEmpty(a) || string.IsNullOrEmpty(b) || string.Equals(a.TrimStart('#'), b.TrimStart('#'), StringComparison.OrdinalIgnoreCase);

    private static string ShortType(string? type) => type?.TrimStart('#') is { Length: > 0 } t ? t : "(type not stated)";

    internal static string KindLabel(ReferenceKind kind) => kind switch
    {
        ReferenceKind.Group => "Group",
        ReferenceKind.AssignmentFilter => "Assignment filter",
        ReferenceKind.NotificationTemplate => "Notification template",
        ReferenceKind.ReusableSetting => "Reusable setting",
        _ => "Scope tag",
    };

    private static string? Text(JsonNode? node) => node is JsonValue value
        ? value.TryGetValue<string>(out var s) ? s : value.ToJsonString()
        : null;

    private static DateTimeOffset? Time(JsonNode? node) =>
        Text(node) is { } text && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? at : null;
}
