using System.Net.Sockets;
using Npgsql;
using TenantAtlas.BuildingBlocks.Database;

namespace TenantAtlas.BuildingBlocks.Tests.Database;

/// <summary>Which database failures the host answers with 503 and which ones a job retries instead of failing its run.</summary>
public sealed class DatabaseFailuresTests
{
    private static PostgresException Server(string sqlState) => new("message", "FATAL", "FATAL", sqlState);

    [Theory]
    [InlineData("57P01")] // admin shutdown
    [InlineData("57P03")] // the database system is starting up
    [InlineData("53300")] // too many connections
    [InlineData("08006")] // connection failure
    public void A_server_that_is_not_accepting_work_is_unavailable_and_transient(string sqlState)
    {
        var wrapped = new InvalidOperationException("EF wrapped it", Server(sqlState));

        DatabaseFailures.IsUnavailable(wrapped).Should().BeTrue();
        DatabaseFailures.IsTransient(wrapped).Should().BeTrue();
    }

    [Fact]
    public void A_refused_connection_is_unavailable_and_transient()
    {
        var refused = new NpgsqlException("Failed to connect", new SocketException((int)SocketError.ConnectionRefused));

        DatabaseFailures.IsUnavailable(refused).Should().BeTrue();
        DatabaseFailures.IsTransient(refused).Should().BeTrue();
    }

    [Theory]
    [InlineData("40P01")] // deadlock
    [InlineData("40001")] // serialization failure
    public void A_deadlock_is_worth_a_retry_but_is_no_outage(string sqlState)
    {
        DatabaseFailures.IsUnavailable(Server(sqlState)).Should().BeFalse("a 503 would tell people the database is down");
        DatabaseFailures.IsTransient(Server(sqlState)).Should().BeTrue();
    }

    [Theory]
    [InlineData("22021")] // a NUL byte in text
    [InlineData("23505")] // unique violation
    [InlineData("42P01")] // undefined table
    public void A_statement_that_is_wrong_is_neither(string sqlState)
    {
        DatabaseFailures.IsUnavailable(Server(sqlState)).Should().BeFalse();
        DatabaseFailures.IsTransient(Server(sqlState)).Should().BeFalse();
        DatabaseFailures.IsTransient(new InvalidOperationException("a bug")).Should().BeFalse();
    }
}
