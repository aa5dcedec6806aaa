using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using TenantAtlas.Legacy.Data;
using TenantAtlas.Operations.Contracts;

namespace TenantAtlas.Legacy.Backfill;

/// <summary>A row of an old run table as the backfill reads it, with the TenantAtlas tenant its old tenant maps to.</summary>
internal sealed record LegacyRunRow(
    LegacyTable Table,
    long Id,
    long LegacyTenantId,
    Guid TenantId,
    Guid WorkspaceId,
    string? Status,
    DateTime? StartedAt,
    DateTime? FinishedAt,
    DateTime? CreatedAt,
    DateTime? UpdatedAt,
    string? ErrorMessage,
    long? TriggeredByUserId,
    string? UserEmail,
    IReadOnlyDictionary<string, long> Counts)
{
    public long? BackupScheduleId { get; init; }

    public DateTime? ScheduledFor { get; init; }

    public Guid? RestoreRequestId { get; init; }
}

/// <summary>
/// How the old system's status becomes an outcome. Every value has a rule (spec 006-legacy, docs/modules/legacy.md):
/// a run that still says running or pending had no result in the old system and is history now, so it is failed.
/// </summary>
internal sealed record StatusRule(OperationRunOutcome Outcome, string? CompletionReason = null, string? FailureCode = null, string? FailureMessage = null);

internal static class LegacyRunMapping
{
    /// <summary>The initiator reason of every backfilled run, and the system initiator's name when the email maps to no user.</summary>
    public const string Reason = "legacy import";

    private static readonly StatusRule Unfinished = new(OperationRunOutcome.Failed, "legacy_unfinished", "legacy_unfinished",
        "The old system recorded no result for this run: it was still waiting or running when the old system stopped.");

    /// <summary>Known spellings, compared trimmed and lower-cased.</summary>
    private static readonly Dictionary<string, StatusRule> Known = new(StringComparer.Ordinal)
    {
        ["completed"] = new(OperationRunOutcome.Succeeded),
        ["success"] = new(OperationRunOutcome.Succeeded),
        ["succeeded"] = new(OperationRunOutcome.Succeeded),
        ["partial"] = new(OperationRunOutcome.PartiallySucceeded),
        ["partially_succeeded"] = new(OperationRunOutcome.PartiallySucceeded),
        ["failed"] = new(OperationRunOutcome.Failed),
        ["error"] = new(OperationRunOutcome.Failed),
        ["cancelled"] = new(OperationRunOutcome.Cancelled, "cancelled"),
        ["canceled"] = new(OperationRunOutcome.Cancelled, "cancelled"),
        ["pending"] = Unfinished,
        ["queued"] = Unfinished,
        ["running"] = Unfinished,
    };

    public static IReadOnlyCollection<string> KnownStatuses => Known.Keys;

    public static StatusRule RuleFor(string? status)
    {
        if (string.IsNullOrWhiteSpace(status))
        {
            return new(OperationRunOutcome.Failed, "legacy_status_missing", "legacy_status_missing", "The old system recorded no status for this run.");
        }

        return Known.TryGetValue(status.Trim().ToLowerInvariant(), out var rule)
            ? rule
            : new(OperationRunOutcome.Failed, "legacy_status_unknown", "legacy_status_unknown",
                $"The old system recorded the status '{LegacyRedactor.Redact(status.Trim())}', which has no meaning here.");
    }

    /// <summary>The old count columns in the summary vocabulary (only the counts the old row has).</summary>
    public static Dictionary<string, long> Summary(LegacyRunRow row)
    {
        long? Count(string column) => row.Counts.TryGetValue(column, out var v) ? Math.Max(0, v) : null;
        var summary = new Dictionary<string, long>(StringComparer.Ordinal);
        void Put(string key, long? value)
        {
            if (value is { } v)
            {
                summary[key] = v;
            }
        }

        long? Sum(long? a, long? b) => a is null && b is null ? null : (a ?? 0) + (b ?? 0);
        switch (row.Table.Name)
        {
            case "inventory_sync_runs":
            {
                var (ok, failed) = (Count("items_synced"), Count("items_failed"));
                Put(OperationSummaryKeys.Succeeded, ok);
                Put(OperationSummaryKeys.Failed, failed);
                Put(OperationSummaryKeys.Processed, Sum(ok, failed));
                Put(OperationSummaryKeys.Total, Sum(ok, failed));
                break;
            }

            case "entra_group_sync_runs":
                Put(OperationSummaryKeys.Processed, Count("groups_synced"));
                Put(OperationSummaryKeys.Succeeded, Count("groups_synced"));
                Put(OperationSummaryKeys.Deleted, Count("groups_deleted"));
                break;
            case "backup_schedule_runs":
            {
                var (ok, failed) = (Count("items_backed_up"), Count("items_failed"));
                Put(OperationSummaryKeys.Succeeded, ok);
                Put(OperationSummaryKeys.Failed, failed);
                Put(OperationSummaryKeys.Processed, Sum(ok, failed));
                Put(OperationSummaryKeys.Total, Sum(ok, failed));
                break;
            }

            case "restore_runs":
            {
                var (ok, failed) = (Count("items_restored"), Count("items_failed"));
                Put(OperationSummaryKeys.Succeeded, ok);
                Put(OperationSummaryKeys.Failed, failed);
                Put(OperationSummaryKeys.Processed, Sum(ok, failed));
                Put(OperationSummaryKeys.Total, Sum(ok, failed));
                break;
            }

            case "role_definition_sync_runs":
                Put(OperationSummaryKeys.Processed, Count("roles_synced"));
                Put(OperationSummaryKeys.Succeeded, Count("roles_synced"));
                break;
        }

        return summary;
    }

    /// <summary>The canonical run of one old row: finished, with its outcome, counts, failure, times and initiator.</summary>
    public static FinishedRun ToRun(LegacyRunRow row, Guid? initiatorUserId)
    {
        var rule = RuleFor(row.Status);
        var created = Utc(row.CreatedAt ?? row.StartedAt ?? row.FinishedAt ?? row.UpdatedAt) ?? DateTimeOffset.UnixEpoch;
        var completed = Utc(row.FinishedAt ?? row.UpdatedAt ?? row.StartedAt) ?? created;
        if (completed < created)
        {
            completed = created;
        }

        var failures = new List<OperationFailure>();
        if (rule.FailureCode is not null)
        {
            failures.Add(new OperationFailure(rule.FailureCode, rule.FailureMessage!, null, completed));
        }

        if (!string.IsNullOrWhiteSpace(row.ErrorMessage))
        {
            failures.Add(new OperationFailure("legacy_error", LegacyRedactor.Redact(row.ErrorMessage), null, completed));
        }

        var legacy = new JsonObject
        {
            ["table"] = row.Table.Name,
            ["id"] = row.Id,
            ["tenant_id"] = row.LegacyTenantId,
            ["status"] = row.Status,
        };
        if (row.TriggeredByUserId is { } oldUser)
        {
            legacy["triggered_by_user_id"] = oldUser;
        }

        if (row.BackupScheduleId is { } oldSchedule)
        {
            legacy["backup_schedule_id"] = oldSchedule;
            legacy["scheduled_for"] = Utc(row.ScheduledFor)?.ToString("O", CultureInfo.InvariantCulture);
        }

        var hasSlot = row.BackupScheduleId is not null && row.ScheduledFor is not null;
        return new FinishedRun(row.WorkspaceId, row.TenantId, row.Table.OperationType, rule.Outcome, created, completed, Reason)
        {
            StartedAt = Utc(row.StartedAt),
            InitiatorUserId = initiatorUserId,
            InitiatorLabel = initiatorUserId is null ? Reason : row.UserEmail!.Trim(),
            Inputs = new JsonObject { ["legacy"] = legacy },
            Summary = Summary(row),
            Failures = failures,
            CompletionReason = rule.CompletionReason,
            ScheduleId = hasSlot ? ScheduleIdOf(row.BackupScheduleId!.Value) : null,
            ScheduledFor = hasSlot ? Utc(row.ScheduledFor) : null,
            RestoreRequestId = row.RestoreRequestId,
            Legacy = new LegacyReference(row.Table.Name, row.Id),
        };
    }

    /// <summary>
    /// The schedule id a legacy schedule's runs carry (a name-based GUID of the old schedule's key): its slots are strict
    /// like any schedule's, and no TenantAtlas schedule has this id.
    /// </summary>
    public static Guid ScheduleIdOf(long legacyScheduleId)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"tenantatlas:legacy:backup_schedule:{legacyScheduleId.ToString(CultureInfo.InvariantCulture)}"));
        var bytes = hash[..16];
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x80); // version 8 (custom)
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80); // RFC 9562 variant
        return new Guid(bytes, bigEndian: true);
    }

    /// <summary>The old timestamps are <c>timestamp without time zone</c> holding UTC.</summary>
    public static DateTimeOffset? Utc(DateTime? value) =>
        value is { } v ? new DateTimeOffset(DateTime.SpecifyKind(v, DateTimeKind.Unspecified), TimeSpan.Zero) : null;
}
