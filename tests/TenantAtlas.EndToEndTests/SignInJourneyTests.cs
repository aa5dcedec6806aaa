using Microsoft.Playwright;
using TenantAtlas.Testing.Browser;

namespace TenantAtlas.EndToEndTests;

/// <summary>Spec 000-foundation, "Sign-in journey" in a real Chromium against the app on Kestrel.</summary>
[Collection(BrowserCollection.Name)]
public sealed class SignInJourneyTests(BrowserFixture fixture)
{
    [Fact]
    public async Task Owner_signs_in_and_sees_the_workspace_dashboard()
    {
        var page = await fixture.SignedInPageAsync("owner@demo.test");
        await BrowserFixture.WaitForInteractiveAsync(page);

        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/admin$"));
        await Assertions.Expect(page.GetByText("My workspaces").First).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByText("Contoso-EU")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByText("Fabrikam", new PageGetByTextOptions { Exact = true })).ToHaveCountAsync(0);
        var screenshot = await BrowserFixture.ScreenshotAsync(page, "dashboard-owner");

        File.Exists(screenshot).Should().BeTrue();
        new FileInfo(screenshot).Length.Should().BeGreaterThan(10_000);
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task Wrong_password_stays_on_the_sign_in_page_with_a_message()
    {
        var context = await fixture.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = fixture.BaseAddress.ToString() });
        var page = await context.NewPageAsync();
        await page.GotoAsync("/Account/Login");
        await page.FillAsync("#email", "operator@demo.test");
        await page.FillAsync("#password", "nope-nope");
        await page.ClickAsync("#sign-in");

        await Assertions.Expect(page.Locator("#login-error")).ToContainTextAsync("Wrong email or password");
        await context.CloseAsync();
    }

    [Fact]
    public async Task Readonly_member_opening_the_add_tenant_form_sees_the_forbidden_page()
    {
        var page = await fixture.SignedInPageAsync("readonly@demo.test");

        var response = await page.GotoAsync($"/admin/workspaces/{fixture.Demo.Contoso}/tenants/new");

        response!.Status.Should().Be(403);
        await Assertions.Expect(page.Locator("#forbidden")).ToBeVisibleAsync();
        await page.Context.CloseAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<BrowserFixture>
{
    public const string Name = "browser";
}
