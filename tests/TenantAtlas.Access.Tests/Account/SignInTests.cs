using System.Net;
using TenantAtlas.Testing.Hosting;

namespace TenantAtlas.Access.Tests.Account;

/// <summary>Spec 000-foundation, "Sign-in": local accounts, sign-out, lockout, anonymous redirect.</summary>
public sealed class SignInTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    [Theory]
    [InlineData("/admin")]
    [InlineData("/admin/workspaces/7b1d0e2a-0000-4000-8000-000000000001")]
    [InlineData("/admin/tenants/7b1d0e2a-0000-4000-8000-000000000001")]
    public async Task Anonymous_requests_are_redirected_to_sign_in(string path)
    {
        var response = await fixture.App.CreateBrowserLikeClient().GetAsync(path);

        response.StatusCode.Should().Be(HttpStatusCode.Redirect);
        response.Headers.Location!.OriginalString.Should().Contain("/Account/Login").And.Contain(Uri.EscapeDataString(path));
    }

    [Fact]
    public async Task Correct_password_signs_in_and_the_cookie_is_http_only()
    {
        var client = fixture.App.CreateBrowserLikeClient();

        var response = await client.PostSignInAsync("owner@demo.test", SignIn.DemoPassword);

        response.StatusCode.Should().Be(HttpStatusCode.Redirect);
        response.RedirectPath().Should().Be("/admin");
        var cookie = response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("TenantAtlas.Auth=", StringComparison.Ordinal));
        cookie.Should().ContainEquivalentOf("httponly").And.ContainEquivalentOf("samesite=lax");
        (await client.GetAsync("/admin")).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task In_production_the_sign_in_cookie_is_secure_only()
    {
        await using var production = new TenantAtlasApp(fixture.Database.ConnectionString, environment: "Production");
        var client = production.CreateBrowserLikeClient();

        var response = await client.PostSignInAsync("owner@demo.test", SignIn.DemoPassword);

        response.StatusCode.Should().Be(HttpStatusCode.Redirect);
        response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("TenantAtlas.Auth=", StringComparison.Ordinal))
            .Should().ContainEquivalentOf("; secure");
    }

    [Fact]
    public async Task Wrong_password_shows_an_error_and_does_not_sign_in()
    {
        var client = fixture.App.CreateBrowserLikeClient();

        var response = await client.PostSignInAsync("operator@demo.test", "not-the-password");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        (await response.Content.ReadAsStringAsync()).Should().Contain("Wrong email or password");
        (await client.GetAsync("/admin")).StatusCode.Should().Be(HttpStatusCode.Redirect);
    }

    [Fact]
    public async Task Sign_in_without_antiforgery_token_is_rejected()
    {
        var client = fixture.App.CreateBrowserLikeClient();

        var response = await client.PostAsync("/Account/Login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "login", ["Input.Email"] = "owner@demo.test", ["Input.Password"] = SignIn.DemoPassword,
        }));

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Sign_out_ends_the_session()
    {
        var client = await fixture.SignedInAsync("owner@demo.test");
        var token = await client.GetAntiforgeryTokenAsync("/Account/Login"); // a token bound to the signed-in user

        var response = await client.PostAsync("/Account/Logout", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token, ["returnUrl"] = "/Account/Login",
        }));

        response.StatusCode.Should().Be(HttpStatusCode.Redirect);
        (await client.GetAsync("/admin")).StatusCode.Should().Be(HttpStatusCode.Redirect);
    }

    [Fact]
    public async Task Five_failed_attempts_lock_the_account_even_for_the_right_password()
    {
        var email = $"lock-{Guid.NewGuid():N}@demo.test";
        await using (var scope = fixture.App.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<TenantAtlas.Access.Contracts.IAccessAdministration>()
                .EnsureUserAsync(email, SignIn.DemoPassword, isPlatformAdmin: false);
        }

        var client = fixture.App.CreateBrowserLikeClient();
        for (var i = 0; i < 5; i++)
        {
            await client.PostSignInAsync(email, "wrong-password");
        }

        var response = await client.PostSignInAsync(email, SignIn.DemoPassword);

        response.StatusCode.Should().Be(HttpStatusCode.Redirect);
        response.RedirectPath().Should().Be("/Account/Lockout");
        (await client.GetAsync("/admin")).StatusCode.Should().Be(HttpStatusCode.Redirect, "a locked account gets no session");
    }

    [Fact]
    public async Task A_return_url_to_another_site_is_ignored()
    {
        var client = fixture.App.CreateBrowserLikeClient();
        var token = await client.GetAntiforgeryTokenAsync("/Account/Login");

        var response = await client.PostAsync("/Account/Login?ReturnUrl=//evil.example/", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "login", ["__RequestVerificationToken"] = token,
            ["Input.Email"] = "owner@demo.test", ["Input.Password"] = SignIn.DemoPassword,
        }));

        response.RedirectPath().Should().Be("/admin");
    }
}
