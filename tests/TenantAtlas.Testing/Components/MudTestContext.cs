using System.Security.Claims;
using Bunit;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor;
using MudBlazor.Services;
using Xunit;

namespace TenantAtlas.Testing.Components;

/// <summary>bUnit with MudBlazor: loose JS interop, Mud services, a signed-in user, disposed asynchronously (MudBlazor needs it).</summary>
public abstract class MudTestContext : BunitContext, IAsyncLifetime
{
    protected MudTestContext()
    {
        JSInterop.Mode = JSRuntimeMode.Loose;
        Services.AddMudServices();
        Services.AddSingleton(TimeProvider.System);
    }

    /// <summary>Signs in a user with the given id; pages read only the id from claims (roles come from the database).</summary>
    protected void SignIn(Guid userId, string email = "someone@demo.test")
    {
        var auth = AddAuthorization();
        auth.SetAuthorized(email);
        auth.SetClaims(new Claim(ClaimTypes.NameIdentifier, userId.ToString()));
    }

    /// <summary>
    /// Call after registering services, before rendering: renders MudBlazor's providers (as the layout does) and sets a
    /// non-interactive renderer, so components that start live timers only when interactive stay still under test.
    /// </summary>
    protected IRenderedComponent<MudPopoverProvider> RenderProviders()
    {
        Renderer.SetRendererInfo(new RendererInfo("Static", isInteractive: false));
        return Render<MudPopoverProvider>();
    }

    public Task InitializeAsync() => Task.CompletedTask;

    async Task IAsyncLifetime.DisposeAsync() => await base.DisposeAsync();
}
