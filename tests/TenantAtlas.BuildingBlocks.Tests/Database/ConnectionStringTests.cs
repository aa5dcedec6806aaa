using Microsoft.Extensions.Configuration;
using Npgsql;
using TenantAtlas.BuildingBlocks.Database;

namespace TenantAtlas.BuildingBlocks.Tests.Database;

/// <summary>Issue 19, item 1: the app's connection string never turns on a setting that lets a failed statement corrupt later queries.</summary>
public sealed class ConnectionStringTests
{
    private static string Resolve(string connectionString) =>
        new ConfigurationBuilder().AddInMemoryCollection([new("TENANTATLAS_DB", connectionString)]).Build().GetTenantAtlasConnectionString();

    [Fact]
    public void The_app_uses_npgsqls_safe_defaults_no_automatic_preparation_and_a_reset_on_return()
    {
        var builder = new NpgsqlConnectionStringBuilder(Resolve("Host=127.0.0.1;Port=5432;Username=app;Password=secret;Database=atlas"));

        builder.MaxAutoPrepare.Should().Be(0, "automatic preparation let a statement that failed during bind desynchronise its pooled connection");
        builder.NoResetOnClose.Should().BeFalse("a connection returned to the pool is reset, so no session state reaches the next user");
        builder.Host.Should().Be("127.0.0.1");
        builder.Database.Should().Be("atlas");
    }

    [Theory]
    [InlineData("Host=127.0.0.1;Database=atlas;Max Auto Prepare=64")]
    [InlineData("Host=127.0.0.1;Database=atlas;maxautoprepare=5")]
    public void A_connection_string_that_turns_on_automatic_preparation_is_refused_with_the_reason(string connectionString)
    {
        var resolve = () => Resolve(connectionString);

        resolve.Should().Throw<InvalidOperationException>().WithMessage("*Max Auto Prepare*corrupt*");
    }

    [Fact]
    public void An_explicit_max_auto_prepare_of_zero_is_accepted()
    {
        new NpgsqlConnectionStringBuilder(Resolve("Host=127.0.0.1;Database=atlas;Max Auto Prepare=0")).MaxAutoPrepare.Should().Be(0);
    }
}
