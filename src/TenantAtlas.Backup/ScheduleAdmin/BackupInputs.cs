using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using TenantAtlas.Backup.Data;
using TenantAtlas.Operations.Contracts;

namespace TenantAtlas.Backup.ScheduleAdmin;

/// <summary>
/// The inputs of the three backup types, checked before a run exists (the starter asks after the caller's access to the
/// tenant is decided): <c>{"scheduleId": "&lt;schedule GUID&gt;"}</c> and nothing else. The schedule must be one of the run's
/// tenant — another tenant's or workspace's schedule answers exactly like an unknown one (404). A retry also names the
/// run it retries, and backs up that run's schedule. The job reads the same input (<see cref="Jobs.RunBackupJob"/>).
/// </summary>
internal sealed class BackupInputs(IDbContextFactory<BackupDbContext> dbFactory) : IOperationInputsValidator
{
    public const string ScheduleIdKey = "scheduleId";

    private const string GuidExample = "3f2504e0-4f89-11d3-9a0c-0305e82c3301";

    public async Task<InputsVerdict> ValidateAsync(OperationStart start, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(start);
        if (start.Inputs.Select(p => p.Key).FirstOrDefault(k => k != ScheduleIdKey) is { } unknown)
        {
            return InputsVerdict.Malformed($"inputs.{Shorten(unknown)} is not an input of backups: they take only \"scheduleId\".");
        }

        Guid scheduleId;
        if (start.Type == OperationTypes.BackupScheduled)
        {
            // The scheduler's slot names the schedule; the starter has already refused a slot without one.
            if (start.Request.ScheduleId is not { } slotSchedule)
            {
                return InputsVerdict.Malformed("A scheduled backup needs its schedule id.");
            }

            if (start.Inputs.ContainsKey(ScheduleIdKey) && start.Inputs.GetString(ScheduleIdKey) != slotSchedule.ToString())
            {
                return InputsVerdict.Malformed("inputs.scheduleId must be the slot's schedule.");
            }

            scheduleId = slotSchedule;
        }
        else
        {
            if (!start.Inputs.TryGetPropertyValue(ScheduleIdKey, out var given) || given is null)
            {
                return InputsVerdict.Malformed($"inputs.scheduleId is required: the id of the backup schedule to run (a GUID such as \"{GuidExample}\").");
            }

            if (start.Inputs.GetString(ScheduleIdKey) is not { } text || !Guid.TryParse(text, out scheduleId))
            {
                return InputsVerdict.Malformed($"inputs.scheduleId must be a schedule id: a GUID string such as \"{GuidExample}\".");
            }
        }

        if (start.Type == OperationTypes.BackupRetry)
        {
            if (start.RetryOf is not { } original)
            {
                return InputsVerdict.Malformed("A backup retry names the failed run it retries (\"retryOfRunId\"); to back up again without one, use backup_schedule.run_now.");
            }

            if ((original.ScheduleId ?? original.Inputs.GetGuid(ScheduleIdKey)) != scheduleId)
            {
                return InputsVerdict.Malformed($"inputs.scheduleId must be the schedule of run #{original.Id}, which this retries.");
            }
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        // Stored in the one spelling the schedule's pages and history look for (lowercase, with hyphens), however it was
        // given ("3F25…", "{…}", without hyphens): a run stored with another spelling would be missing from that history.
        return await db.Schedules.AnyAsync(s => s.Id == scheduleId && s.TenantId == start.TenantId, cancellationToken)
            ? InputsVerdict.ValidAs(new JsonObject { [ScheduleIdKey] = scheduleId.ToString() })
            : InputsVerdict.NotFound("No such backup schedule in this tenant, or it is not in a workspace you belong to.");
    }

    private static string Shorten(string key) => key.Length <= 40 ? key : key[..40] + "…";
}
