using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using TenantAtlas.Operations.Contracts;
using TenantAtlas.Testing.Database;
using TenantAtlas.Testing.Hosting;
using TenantAtlas.Web.Demo;
using Xunit;

namespace TenantAtlas.Testing.Browser;

/// <summary>
/// The app on real Kestrel (127.0.0.1, a free port) with demo data, and Debian's Chromium driven by Playwright.
/// Playwright cannot download browsers here: it launches /usr/bin/chromium (override: TENANTATLAS_CHROMIUM).
/// </summary>
public class BrowserFixture : IAsyncLifetime
{
    private IPlaywright? playwright;

    public TestDatabase Database { get; private set; } = default!;

    public TenantAtlasApp App { get; private set; } = default!;

    public DemoIds Demo { get; private set; } = default!;

    public IBrowser Browser { get; private set; } = default!;

    public Uri BaseAddress { get; private set; } = default!;

    protected virtual void Configure(TenantAtlasApp app)
    {
    }

    public virtual async Task InitializeAsync()
    {
        Database = await TenantAtlasApp.CreateDatabaseAsync();
        App = new TenantAtlasApp(Database.ConnectionString);
        Configure(App);
        App.UseKestrel(options => options.Listen(IPAddress.Loopback, 0));
        App.StartServer();
        var address = App.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        BaseAddress = new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal));
        Demo = await App.SeedDemoAsync();

        // Generous waits: a 2-core CI machine may be busy; assertions still fail on wrong content, just later.
        Assertions.SetDefaultExpectTimeout(30_000);
        playwright = await Playwright.CreateAsync();
        Browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Environment.GetEnvironmentVariable("TENANTATLAS_CHROMIUM") ?? "/usr/bin/chromium",
            Headless = true,
            Args =
            [
                "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
            ],
        });
    }

    public virtual async Task DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        playwright?.Dispose();
        await App.DisposeAsync();
        await Database.DisposeAsync();
    }

    /// <summary>A fresh browser context signed in through the real sign-in page.</summary>
    public async Task<IPage> SignedInPageAsync(string email, string password = SignIn.DemoPassword)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = BaseAddress.ToString(), ViewportSize = new ViewportSize { Width = 1400, Height = 900 } });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(60_000);
        // Once more when the first submit leaves the browser on the sign-in page (seen once in CI on a loaded machine,
        // network idle and no navigation: not reproduced since); the failure then says what the page showed.
        for (var attempt = 1; ; attempt++)
        {
            await page.GotoAsync("/Account/Login");
            await page.FillAsync("#email", email);
            await page.FillAsync("#password", password);
            await page.ClickAsync("#sign-in");
            try
            {
                // Wait for the redirect to be committed, not for every resource of the next page: callers navigate on anyway.
                await page.WaitForURLAsync(url => !url.Contains("/Account/Login", StringComparison.Ordinal),
                    new PageWaitForURLOptions { WaitUntil = WaitUntilState.Commit, Timeout = 30_000 });
                return page;
            }
            catch (TimeoutException) when (attempt == 1)
            {
                Console.Error.WriteLine($"Sign-in of {email} stayed on {page.Url} after 30 s (error shown: {await ShownErrorAsync(page)}); trying once more");
            }
            catch (TimeoutException e)
            {
                throw new TimeoutException($"Sign-in of {email} stayed on {page.Url} twice (error shown: {await ShownErrorAsync(page)}).", e);
            }
        }
    }

    private static async Task<string> ShownErrorAsync(IPage page) =>
        await page.Locator("#login-error").CountAsync() > 0 ? await page.Locator("#login-error").InnerTextAsync() : "none";

    /// <summary>
    /// Waits until the database says the run reached <paramref name="status"/> (queued → running → completed), so a journey
    /// that then fails on the page tells whether the job never ran or the page did not follow. The failure names the run's
    /// status and its Hangfire job's state in this host's database.
    /// </summary>
    public async Task WaitForRunStatusAsync(long runId, OperationRunStatus status, TimeSpan timeout)
    {
        var runs = App.Services.GetRequiredService<IOperationRuns>();
        var deadline = DateTime.UtcNow + timeout;
        OperationRunView? run;
        do
        {
            run = await runs.FindAsync(runId);
            if (run is not null && run.Status >= status)
            {
                return;
            }

            await Task.Delay(200);
        }
        while (DateTime.UtcNow < deadline);

        var jobState = run?.HangfireJobId is { } jobId
            ? await Database.ScalarAsync<string>("SELECT coalesce(statename, '(no state)') FROM hangfire.job WHERE id = $1", long.Parse(jobId, System.Globalization.CultureInfo.InvariantCulture)) ?? "(no such job in this database)"
            : "(no job id)";
        throw new Xunit.Sdk.XunitException($"Run {runId} did not become {status} within {timeout}: it is {run?.Status}; Hangfire job {run?.HangfireJobId ?? "none"} is {jobState}.");
    }

    /// <summary>Waits until the circuit is live: a prerendered page can be clicked before its handlers exist.</summary>
    public static Task WaitForInteractiveAsync(IPage page) =>
        page.Locator("#ta-interactive").WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Attached });

    public static async Task<string> ScreenshotAsync(IPage page, string name)
    {
        var path = Path.Combine(Artifacts.Directory("screenshots"), name + ".png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        return path;
    }
}

public static class Artifacts
{
    /// <summary><c>TENANTATLAS_ARTIFACTS</c>, else <c>artifacts/</c> at the repository root (git-ignored; CI keeps it).</summary>
    public static string Directory(string kind)
    {
        var root = Environment.GetEnvironmentVariable("TENANTATLAS_ARTIFACTS");
        if (string.IsNullOrEmpty(root))
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "TenantAtlas.sln")))
            {
                dir = dir.Parent;
            }

            root = Path.Combine(dir?.FullName ?? Path.GetTempPath(), "artifacts");
        }

        var path = Path.Combine(root, kind);
        System.IO.Directory.CreateDirectory(path);
        return path;
    }
}
