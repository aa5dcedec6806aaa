using Npgsql;

namespace TenantAtlas.BuildingBlocks.Database;

/// <summary>
/// Tells "the database is not there right now" apart from every other failure: PostgreSQL stopped, restarting, refusing
/// connections, or the network to it gone. Such a failure goes away by itself once the database is back, so the host
/// answers it as 503 (with Retry-After) and a page that says so — not as the generic 500 for a bug.
/// </summary>
public static class DatabaseFailures
{
    /// <summary>True when <paramref name="exception"/>, or an exception it wraps (EF, Identity, Hangfire), says the database is unavailable.</summary>
    public static bool IsUnavailable(Exception? exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                // A server-side error: only the states that mean "not accepting work now". Checked before NpgsqlException
                // (its base), whose IsTransient also covers deadlocks and serialization failures — retry material, not an outage.
                case PostgresException postgres:
                    return postgres.SqlState is "57P01" or "57P02" or "57P03" or "53300" || postgres.SqlState.StartsWith("08", StringComparison.Ordinal);

                // A client-side failure to reach the server: refused or broken connection, a connect or command timeout,
                // or the pool waiting in vain for a connection (Npgsql marks exactly these transient).
                case NpgsqlException { IsTransient: true }:
                    return true;
            }
        }

        return false;
    }

    /// <summary>
    /// True when trying the same statement again shortly may succeed: the database is unavailable (see
    /// <see cref="IsUnavailable"/>), or the server refused this attempt only (a deadlock, a serialization failure —
    /// what Npgsql marks transient). Jobs retry their own conditional writes on these instead of failing the run.
    /// </summary>
    public static bool IsTransient(Exception? exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is NpgsqlException { IsTransient: true } || IsUnavailable(e))
            {
                return true;
            }
        }

        return false;
    }
}
