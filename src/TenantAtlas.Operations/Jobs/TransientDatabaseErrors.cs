using System.Net.Sockets;
using Npgsql;

namespace TenantAtlas.Operations.Jobs;

/// <summary>Database errors that say "try again shortly" (server restarting or unreachable, a broken connection), not "this is wrong".</summary>
internal static class TransientDatabaseErrors
{
    public static bool IsTransient(Exception e) => e switch
    {
        // 08: connection exceptions; 57P01–57P03: admin/crash shutdown, "the database system is starting up".
        PostgresException pg => pg.IsTransient || pg.SqlState.StartsWith("08", StringComparison.Ordinal) || pg.SqlState.StartsWith("57P", StringComparison.Ordinal),
        NpgsqlException npgsql => npgsql.IsTransient || npgsql.InnerException is IOException or SocketException or TimeoutException,
        TimeoutException or SocketException => true,
        _ => e.InnerException is { } inner && IsTransient(inner),
    };
}
