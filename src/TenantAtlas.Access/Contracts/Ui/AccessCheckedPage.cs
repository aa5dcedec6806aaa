using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Http;

namespace TenantAtlas.Access.Contracts.Ui;

/// <summary>
/// Base for pages whose access depends on a route parameter. The decision is made in OnParametersSetAsync
/// (navigating between two ids in one circuit reuses the component): NotFound becomes a real 404 via
/// <see cref="NavigationManager.NotFound"/>, Forbidden renders <see cref="Forbidden"/> (403 during prerender).
/// </summary>
public abstract class AccessCheckedPage : ComponentBase
{
    [CascadingParameter] private Task<AuthenticationState> AuthenticationState { get; set; } = default!;

    [CascadingParameter] protected HttpContext? HttpContext { get; set; }

    [Inject] protected NavigationManager Navigation { get; set; } = default!;

    [Inject] protected IAccessService Access { get; set; } = default!;

    protected Guid UserId { get; private set; }

    /// <summary>Null until decided; pages render nothing but a spinner before that.</summary>
    protected AccessDecision? Decision { get; set; }

    protected override async Task OnParametersSetAsync()
    {
        Decision = null;
        var state = await AuthenticationState;
        if (state.User.GetUserId() is not { } userId)
        {
            // [Authorize] on the page redirects anonymous users before we get here; this is a second line.
            Navigation.NavigateTo("/Account/Login", forceLoad: true);
            return;
        }

        UserId = userId;
        Decision = await DecideAsync(userId);
        if (Decision == AccessDecision.NotFound)
        {
            if (HttpContext is { Response.HasStarted: false } http && HttpMethods.IsPost(http.Request.Method))
            {
                // A static form POST: NavigationManager.NotFound() would drop the named form and Blazor would answer 400.
                http.Response.StatusCode = StatusCodes.Status404NotFound;
            }
            else
            {
                Navigation.NotFound();
            }
        }
    }

    /// <summary>Loads what the page shows and answers whether this user may see it; one cheap query where possible.</summary>
    protected abstract Task<AccessDecision> DecideAsync(Guid userId);
}
