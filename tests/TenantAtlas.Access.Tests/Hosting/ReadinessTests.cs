using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Npgsql;
using TenantAtlas.Testing.Database;
using TenantAtlas.Testing.Hosting;

namespace TenantAtlas.Access.Tests.Hosting;

/// <summary>
/// Issue 15, item 3: <c>/readyz</c> says whether the process can do its work (PostgreSQL, migrations, job storage, and in
/// a worker its job server), 503 naming what is missing; <c>/healthz</c> is liveness and stays 200 through an outage.
/// </summary>
[Collection(DatabaseOutageCollection.Name)]
public sealed class ReadinessTests(OutageFixture fixture) : IClassFixture<OutageFixture>
{
    private static async Task<(HttpStatusCode Status, JsonObject Body)> ReadyAsync(HttpClient client)
    {
        var response = await client.GetAsync("/readyz");
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/json");
        return (response.StatusCode, (await response.Content.ReadFromJsonAsync<JsonObject>())!);
    }

    private static string? CheckStatus(JsonObject body, string name) =>
        body["checks"]!.AsArray().FirstOrDefault(c => c!["name"]!.GetValue<string>() == name)?["status"]!.GetValue<string>();

    [Fact]
    public async Task A_ready_process_answers_200_to_anonymous_callers_with_every_check_healthy()
    {
        var client = fixture.App.CreateBrowserLikeClient();

        var (status, body) = await ReadyAsync(client);

        status.Should().Be(HttpStatusCode.OK, body.ToJsonString());
        body["status"]!.GetValue<string>().Should().Be("healthy");
        body["checks"]!.AsArray().Select(c => c!["name"]!.GetValue<string>()).Should().BeEquivalentTo(["database", "migrations", "hangfire_storage"],
            "the test host runs no job server, so there is no server check");
        body["checks"]!.AsArray().Should().OnlyContain(c => c!["status"]!.GetValue<string>() == "healthy");
    }

    [Fact]
    public async Task While_the_database_is_down_readyz_answers_503_healthz_stays_200_and_both_recover()
    {
        var client = fixture.App.CreateBrowserLikeClient();
        (await ReadyAsync(client)).Status.Should().Be(HttpStatusCode.OK);

        await fixture.Server.StopImmediatelyAsync();
        try
        {
            var (status, body) = await ReadyAsync(client);

            status.Should().Be(HttpStatusCode.ServiceUnavailable);
            CheckStatus(body, "database").Should().Be("unhealthy");
            body.ToJsonString().Should().NotContain("127.0.0.1").And.NotContain("Npgsql").And.NotContain("Password", "connection details are logged, never answered");
            (await client.GetAsync("/healthz")).StatusCode.Should().Be(HttpStatusCode.OK, "liveness does not depend on the database");
        }
        finally
        {
            await fixture.Server.StartAgainAsync();
        }

        var deadline = DateTime.UtcNow.AddSeconds(30);
        while ((await ReadyAsync(client)).Status != HttpStatusCode.OK)
        {
            DateTime.UtcNow.Should().BeBefore(deadline, "readiness comes back by itself once PostgreSQL is back");
            await Task.Delay(250);
        }
    }

    [Fact]
    public async Task A_database_without_the_migrations_is_not_ready_and_the_answer_names_the_modules()
    {
        var admin = await PostgresServer.GetAdminConnectionStringAsync();
        var name = "ta_unmigrated_" + Guid.NewGuid().ToString("N")[..12];
        await using (var connection = new NpgsqlConnection(admin))
        {
            await connection.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await create.ExecuteNonQueryAsync();
        }

        var connectionString = new NpgsqlConnectionStringBuilder(admin) { Database = name }.ConnectionString;
        try
        {
            await using var app = new TenantAtlasApp(connectionString);

            var (status, body) = await ReadyAsync(app.CreateBrowserLikeClient());

            status.Should().Be(HttpStatusCode.ServiceUnavailable);
            CheckStatus(body, "database").Should().Be("healthy");
            CheckStatus(body, "migrations").Should().Be("unhealthy");
            var description = body["checks"]!.AsArray().Single(c => c!["name"]!.GetValue<string>() == "migrations")!["description"]!.GetValue<string>();
            description.Should().Contain("Operations").And.Contain("Access").And.Contain("migrate");
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await using var connection = new NpgsqlConnection(admin);
            await connection.OpenAsync();
            await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {name} WITH (FORCE)", connection);
            await drop.ExecuteNonQueryAsync();
        }
    }

    [Fact]
    public async Task A_worker_is_ready_once_its_job_server_heartbeats()
    {
        await using var database = await TenantAtlasApp.CreateDatabaseAsync();
        await using var app = new TenantAtlasApp(database.ConnectionString).WithSetting("role", "worker").WithSetting("Hangfire:Server:Enabled", "true");
        var client = app.CreateBrowserLikeClient();

        var deadline = DateTime.UtcNow.AddSeconds(30);
        (HttpStatusCode Status, JsonObject Body) ready;
        while ((ready = await ReadyAsync(client)).Status != HttpStatusCode.OK)
        {
            DateTime.UtcNow.Should().BeBefore(deadline, $"the worker's job server registers within seconds ({ready.Body.ToJsonString()})");
            await Task.Delay(250);
        }

        CheckStatus(ready.Body, "hangfire_server").Should().Be("healthy", "a process that runs jobs is ready only with its job server");
    }
}
