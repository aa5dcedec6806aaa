using System.Net;
using TenantAtlas.Testing.Hosting;

namespace TenantAtlas.Access.Tests.Account;

/// <summary>
/// Issue 19, item 5: the account endpoints answer malformed input with 400 or the page's own message — never a 500 —
/// and follow a return URL only when it is a plain local path.
/// </summary>
public sealed class AccountEndpointInputTests(AppFixture fixture) : IClassFixture<AppFixture>
{
    public static TheoryData<string> MalformedUserIds => new() { "abc", "-1", new string('7', 5000) };

    public static TheoryData<string> NonLocalReturnUrls => new()
    {
        "/\t/evil.example",
        "/\r\n/evil.example",
        "/x\r\nSet-Cookie: stolen=1",
        "//evil.example/",
        "/\\evil.example",
        "\\\\evil.example",
        "https://evil.example/",
        "/ok\\..\\evil",
    };

    [Theory]
    [MemberData(nameof(MalformedUserIds))]
    public async Task Accepting_an_invitation_with_a_malformed_user_id_shows_the_invalid_link_message(string userId)
    {
        var client = fixture.App.CreateBrowserLikeClient();
        var token = await client.GetAntiforgeryTokenAsync("/Account/AcceptInvitation");

        var response = await client.PostAsync("/Account/AcceptInvitation", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "accept-invitation", ["__RequestVerificationToken"] = token,
            ["Input.UserId"] = userId, ["Input.Code"] = "not-a-code", ["Input.Password"] = "Fresh!Passw0rd",
        }));

        response.StatusCode.Should().BeOneOf([HttpStatusCode.OK, HttpStatusCode.BadRequest], "a malformed link is the visitor's mistake, not a server error");
        (await response.Content.ReadAsStringAsync()).Should().Contain("This invitation link is invalid or was already used");
    }

    [Fact]
    public async Task Sign_out_without_the_antiforgery_token_answers_400_with_a_body_and_keeps_the_session()
    {
        var client = await fixture.SignedInAsync("readonly@demo.test");

        var response = await client.PostAsync("/Account/Logout", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["returnUrl"] = "/Account/Login",
        }));

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await response.Content.ReadAsStringAsync()).Should().Contain("Reload the page and sign out again");
        (await client.GetAsync("/admin")).StatusCode.Should().Be(HttpStatusCode.OK, "a forged sign-out does not end the session");
    }

    [Theory]
    [MemberData(nameof(NonLocalReturnUrls))]
    public async Task Sign_out_with_a_non_local_return_url_redirects_to_the_sign_in_page(string returnUrl)
    {
        var client = await fixture.SignedInAsync("readonly@demo.test");
        var token = await client.GetAntiforgeryTokenAsync("/Account/Login");

        var response = await client.PostAsync("/Account/Logout", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token, ["returnUrl"] = returnUrl,
        }));

        response.StatusCode.Should().Be(HttpStatusCode.Redirect);
        response.RedirectPath().Should().Be("/Account/Login");
        (await client.GetAsync("/admin")).StatusCode.Should().Be(HttpStatusCode.Redirect, "the sign-out itself happened");
    }

    [Fact]
    public async Task Sign_out_with_a_local_return_url_follows_it()
    {
        var client = await fixture.SignedInAsync("readonly@demo.test");
        var token = await client.GetAntiforgeryTokenAsync("/Account/Login");

        var response = await client.PostAsync("/Account/Logout", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token, ["returnUrl"] = "/Account/Login?from=menu",
        }));

        response.RedirectPath().Should().Be("/Account/Login?from=menu");
    }

    [Theory]
    [MemberData(nameof(NonLocalReturnUrls))]
    public async Task Sign_in_with_a_non_local_return_url_lands_on_the_workspaces(string returnUrl)
    {
        var client = fixture.App.CreateBrowserLikeClient();
        var token = await client.GetAntiforgeryTokenAsync("/Account/Login");

        var response = await client.PostAsync("/Account/Login?ReturnUrl=" + Uri.EscapeDataString(returnUrl), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "login", ["__RequestVerificationToken"] = token,
            ["Input.Email"] = "readonly@demo.test", ["Input.Password"] = SignIn.DemoPassword,
        }));

        response.StatusCode.Should().Be(HttpStatusCode.Redirect);
        response.RedirectPath().Should().Be("/admin");
    }
}
