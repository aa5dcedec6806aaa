using Npgsql;
using TenantAtlas.Access.Contracts;
using TenantAtlas.Operations.Contracts;
using TenantAtlas.Operations.Tests.Support;
using TenantAtlas.Testing.Operations;

namespace TenantAtlas.Operations.Tests.Monitoring;

/// <summary>
/// Issue 19, item 1: a statement that fails on the server (here: a NUL byte in a text parameter, SQLSTATE 22021) must not
/// leave its pooled connection out of step, so that the next query on it — another user's — reads a wrong result.
/// The list query is called below the HTTP boundary on purpose: the boundary rejects NUL bytes now, but any bind-time
/// error (a bad value, a cancelled command) must leave the pool as clean as before.
/// </summary>
public sealed class FailedStatementIsolationTests(OperationsFixture fixture) : IClassFixture<OperationsFixture>, IAsyncLifetime
{
    private IOperationRunQueries Queries => fixture.App.Services.GetRequiredService<IOperationRunQueries>();

    public async Task InitializeAsync()
    {
        await fixture.StartAsync(TestOperations.Click, fixture.Demo.ContosoEu, Actor.User(fixture.Demo.Owner));
        await fixture.StartAsync(TestOperations.Click, fixture.Demo.FabrikamTenant, Actor.User(fixture.Demo.Outsider));
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Failed_statements_never_corrupt_the_plain_queries_that_follow_on_the_same_pool()
    {
        // Two users of different workspaces, each alternating a failing and a plain list request, 250 rounds each:
        // 500 plain requests in all, all of which must answer with exactly the caller's own rows.
        var users = new[]
        {
            (UserId: fixture.Demo.Owner, Email: "owner@demo.test", Workspace: fixture.Demo.Contoso),
            (UserId: fixture.Demo.Outsider, Email: "outsider@demo.test", Workspace: fixture.Demo.Fabrikam),
        };
        var plainFailures = new System.Collections.Concurrent.ConcurrentBag<string>();
        var badFailures = 0;

        await Task.WhenAll(users.Select(user => Task.Run(async () =>
        {
            for (var round = 0; round < 250; round++)
            {
                try
                {
                    await Queries.ListAsync(user.UserId, new RunFilter { Initiator = "a\0b" }, null, 50);
                }
                catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.CharacterNotInRepertoire)
                {
                    Interlocked.Increment(ref badFailures);
                }

                try
                {
                    var page = await Queries.ListAsync(user.UserId, new RunFilter { Initiator = user.Email }, null, 50);
                    if (page.Items.Count != 1 || page.Items.Any(r => r.WorkspaceId != user.Workspace))
                    {
                        plainFailures.Add($"{user.Email} round {round}: {page.Items.Count} rows, workspaces {string.Join(",", page.Items.Select(r => r.WorkspaceId).Distinct())}");
                    }
                }
                catch (Exception e)
                {
                    plainFailures.Add($"{user.Email} round {round}: {e.GetType().Name}: {e.Message}");
                }
            }
        })));

        badFailures.Should().Be(500, "every request with a NUL byte fails on the server with 22021");
        plainFailures.Should().BeEmpty("a failed statement must not leave its pooled connection reading another statement's result");
    }
}
