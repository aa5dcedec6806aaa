using Microsoft.AspNetCore.Builder;
using TenantAtlas.BuildingBlocks.Modules;

namespace TenantAtlas.BuildingBlocks.Tests.Modules;

/// <summary>A start-up registration that fails (a storage lock left by a killed process) never stops the process from starting.</summary>
public sealed class StartupRegistrationTests
{
    [Fact]
    public async Task A_failing_registration_lets_the_process_start_and_succeeds_in_the_background()
    {
        await using var app = WebApplication.CreateBuilder().Build();
        var attempts = 0;
        var registered = new TaskCompletionSource();

        var register = () => app.RegisterWithRetry("a test job", () =>
        {
            if (Interlocked.Increment(ref attempts) == 1)
            {
                throw new TimeoutException("Timeout validation lock (as Hangfire.PostgreSql throws).");
            }

            registered.TrySetResult();
        });

        register.Should().NotThrow("start-up goes on");
        attempts.Should().Be(1);
        await registered.Task.WaitAsync(TimeSpan.FromSeconds(30));
        attempts.Should().Be(2, "it is retried in the background until it succeeds");
    }

    [Fact]
    public async Task A_registration_that_works_is_made_once()
    {
        await using var app = WebApplication.CreateBuilder().Build();
        var attempts = 0;

        app.RegisterWithRetry("a test job", () => Interlocked.Increment(ref attempts));

        await Task.Delay(TimeSpan.FromMilliseconds(200));
        attempts.Should().Be(1);
    }
}
