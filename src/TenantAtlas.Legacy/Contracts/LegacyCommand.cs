using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using TenantAtlas.Access.Contracts;
using TenantAtlas.Legacy.Backfill;
using TenantAtlas.Legacy.Import;
using TenantAtlas.Operations.Contracts;

namespace TenantAtlas.Legacy.Contracts;

/// <summary>
/// The host's <c>legacy</c> verb: <c>legacy import --from "CONNECTION STRING"</c> or <c>legacy import --csv DIR</c> copies
/// the old system's tables; <c>legacy backfill [--workspace ID]</c> creates the canonical run of every legacy row that has
/// none, in this process; <c>legacy backfill --queue</c> starts the operation <c>legacy.backfill</c> for each workspace
/// with legacy history instead (one active per workspace; the workers run it, the monitoring list shows it). Progress on
/// stderr, the summary on stdout.
/// </summary>
public static class LegacyCommand
{
    public const string Usage = "Usage: legacy import (--from \"CONNECTION STRING OF THE OLD DATABASE\" | --csv DIR) · legacy backfill [--workspace ID] [--queue]";

    public static async Task<int> RunAsync(IServiceProvider services, string[] args, TextWriter? output = null, TextWriter? error = null, CancellationToken cancellationToken = default)
    {
        output ??= Console.Out;
        error ??= Console.Error;
        string? Option(string name)
        {
            var index = Array.IndexOf(args, name);
            return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
        }

        await using var scope = services.CreateAsyncScope();
        try
        {
            switch (args.FirstOrDefault())
            {
                case "import" when Option("--from") is { Length: > 0 } from && Option("--csv") is null:
                    return await ImportAsync(scope.ServiceProvider, new PostgresLegacySource(from), output, error, cancellationToken);
                case "import" when Option("--csv") is { Length: > 0 } csv && Option("--from") is null:
                    return await ImportAsync(scope.ServiceProvider, new CsvLegacySource(csv), output, error, cancellationToken);
                case "backfill":
                    Guid? workspace = null;
                    if (Option("--workspace") is { } ws)
                    {
                        if (!Guid.TryParse(ws, out var id))
                        {
                            await error.WriteLineAsync("--workspace must be a workspace id (a GUID).");
                            return 2;
                        }

                        workspace = id;
                    }

                    return args.Contains("--queue")
                        ? await QueueAsync(scope.ServiceProvider, workspace, output, cancellationToken)
                        : await BackfillAsync(scope.ServiceProvider, workspace, output, error, cancellationToken);
                default:
                    await error.WriteLineAsync(Usage);
                    return 2;
            }
        }
        catch (LegacyImportException e)
        {
            await error.WriteLineAsync($"legacy import failed: {e.Message}");
            return 1;
        }
    }

    private static async Task<int> ImportAsync(IServiceProvider services, ILegacySource source, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        await using (source)
        {
            await error.WriteLineAsync($"legacy import: reading {source.Description}");
            var result = await services.GetRequiredService<LegacyImporter>().ImportAsync(source, line => error.WriteLine(line), cancellationToken);
            await output.WriteLineAsync(Format($"{"table",-28}{"read",12}{"inserted",12}{"unchanged",12}{"changed",10}{"unmapped",10}"));
            foreach (var t in result.Tables)
            {
                await output.WriteLineAsync(t.Present
                    ? Format($"{t.Table,-28}{t.Read,12:N0}{t.Inserted,12:N0}{t.Unchanged,12:N0}{t.Changed,10:N0}{t.Unmapped,10:N0}")
                    : $"{t.Table,-28}not in the source, skipped");
            }

            var runs = result.Tables.Where(t => t.Present && t.Table != "tenants").ToList();
            await output.WriteLineAsync(Format($"{"total (run tables)",-28}{runs.Sum(t => t.Read),12:N0}{runs.Sum(t => t.Inserted),12:N0}{runs.Sum(t => t.Unchanged),12:N0}{runs.Sum(t => t.Changed),10:N0}{runs.Sum(t => t.Unmapped),10:N0}"));
            foreach (var t in result.Tables.Where(t => t.Changed > 0))
            {
                await output.WriteLineAsync($"changed in the source, kept as first imported: {t.Table} #{string.Join(", #", t.ChangedIds)}{(t.Changed > t.ChangedIds.Count ? " …" : "")}");
            }

            foreach (var u in result.UnmappedTenants)
            {
                await output.WriteLineAsync($"unmapped old tenant #{u.LegacyTenantId} {u.Name} ({u.EntraTenantId}): {u.Reason} Its rows are kept and backfilled once it maps (import again after adding the tenant).");
            }

            return 0;
        }
    }

    private static async Task<int> BackfillAsync(IServiceProvider services, Guid? workspace, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        var results = await services.GetRequiredService<LegacyBackfill>().RunAsync(workspace, line => error.WriteLine(line), cancellationToken: cancellationToken);
        await output.WriteLineAsync(Format($"{"table",-28}{"read",12}{"added",12}{"already",12}{"unmapped",10}"));
        foreach (var t in results)
        {
            await output.WriteLineAsync(Format($"{t.Table,-28}{t.Read,12:N0}{t.Added,12:N0}{t.AlreadyBackfilled,12:N0}{t.Unmapped,10:N0}"));
        }

        await output.WriteLineAsync(Format($"{"total",-28}{results.Sum(t => t.Read),12:N0}{results.Sum(t => t.Added),12:N0}{results.Sum(t => t.AlreadyBackfilled),12:N0}{results.Sum(t => t.Unmapped),10:N0}"));
        return 0;
    }

    private static async Task<int> QueueAsync(IServiceProvider services, Guid? workspace, TextWriter output, CancellationToken cancellationToken)
    {
        var runs = services.GetRequiredService<IOperationRuns>();
        var workspaces = workspace is { } one ? [one] : await services.GetRequiredService<LegacyBackfill>().WorkspacesAsync(cancellationToken);
        var status = 0;
        foreach (var id in workspaces)
        {
            var started = await runs.StartAsync(Actor.System(LegacyRunMapping.Reason), StartRequest.ForWorkspace(LegacyOperationTypes.Backfill, id), cancellationToken);
            if (!started.Started)
            {
                await output.WriteLineAsync($"workspace {id}: not started: {started.Message ?? started.Decision.ToString()}");
                status = 1;
                continue;
            }

            await output.WriteLineAsync($"workspace {id}: run #{started.Run!.Id} {(started.Created ? "started" : "already active")}");
        }

        if (workspaces.Count == 0)
        {
            await output.WriteLineAsync("No workspace has legacy history of a mapped tenant: nothing to backfill.");
        }

        return status;
    }

    private static string Format(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
