using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using TenantAtlas.Access.Account;
using TenantAtlas.Access.Audit;
using TenantAtlas.Access.Authorization;
using TenantAtlas.Access.Contracts;
using TenantAtlas.Access.Data;
using TenantAtlas.Access.Tokens;
using TenantAtlas.Access.Users;
using TenantAtlas.Access.Workspaces;
using TenantAtlas.BuildingBlocks.Database;
using TenantAtlas.BuildingBlocks.Modules;

namespace TenantAtlas.Access;

internal static class AccessModule
{
    public static IServiceCollection AddAccess(this IServiceCollection services, IHostEnvironment environment)
    {
        services.AddModuleDbContext<AccessDbContext>("Access", AccessDbContext.Schema);
        // Identity's stores want a scoped context; it is only used inside one request or one scope.
        services.AddScoped(sp => sp.GetRequiredService<IDbContextFactory<AccessDbContext>>().CreateDbContext());

        services.AddCascadingAuthenticationState();
        services.AddScoped<AuthenticationStateProvider, IdentityRevalidatingAuthenticationStateProvider>();
        services.AddAuthentication(options =>
            {
                options.DefaultScheme = IdentityConstants.ApplicationScheme;
                options.DefaultSignInScheme = IdentityConstants.ExternalScheme;
            })
            .AddIdentityCookies();
        services.AddAuthentication()
            .AddScheme<AuthenticationSchemeOptions, PersonalAccessTokenHandler>(AccessSchemes.PersonalAccessToken, null);

        services.AddIdentityCore<AppUser>(options =>
            {
                options.SignIn.RequireConfirmedAccount = false;
                options.User.RequireUniqueEmail = true;
                options.Password.RequiredLength = 8;
                options.Lockout.AllowedForNewUsers = true;
                options.Lockout.MaxFailedAccessAttempts = 5;
                options.Lockout.DefaultLockoutTimeSpan = TimeSpan.FromMinutes(15);
            })
            .AddEntityFrameworkStores<AccessDbContext>()
            .AddSignInManager()
            .AddDefaultTokenProviders();

        services.ConfigureApplicationCookie(options =>
        {
            options.LoginPath = "/Account/Login";
            options.LogoutPath = "/Account/Logout";
            options.AccessDeniedPath = "/forbidden";
            options.Cookie.Name = "TenantAtlas.Auth";
            options.Cookie.HttpOnly = true;
            options.Cookie.SameSite = SameSiteMode.Lax;
            // Production always marks cookies Secure; dev, demo and tests run on plain http loopback.
            options.Cookie.SecurePolicy = environment.IsProduction() ? CookieSecurePolicy.Always : CookieSecurePolicy.SameAsRequest;
            options.ExpireTimeSpan = TimeSpan.FromHours(8);
            options.SlidingExpiration = true;
            // APIs answer 401/403, never a redirect to a sign-in page.
            options.Events.OnRedirectToLogin = context => ApiAwareRedirect(context, StatusCodes.Status401Unauthorized);
            // A signed-in user without the right gets a real 403 (the status page renders the friendly text), never a redirect.
            options.Events.OnRedirectToAccessDenied = context =>
            {
                context.Response.StatusCode = StatusCodes.Status403Forbidden;
                return Task.CompletedTask;
            };
        });

        services.AddAuthorizationBuilder()
            .AddPolicy(AccessPolicies.PlatformAdmin, p => p.RequireAuthenticatedUser().AddRequirements(new PlatformAdminRequirement()))
            // APIs: a personal access token or the sign-in cookie; never a redirect (401/403).
            .AddPolicy(AccessSchemes.ApiPolicy, p => p.AddAuthenticationSchemes(IdentityConstants.ApplicationScheme, AccessSchemes.PersonalAccessToken).RequireAuthenticatedUser());
        services.AddScoped<IAuthorizationHandler, PlatformAdminHandler>();

        services.AddSingleton<IAccessService, AccessService>();
        services.AddSingleton<IAuditLog, AuditLog>();
        services.AddSingleton<IWorkspaceMembers, WorkspaceMembers>();
        services.AddScoped<IAccessAdministration, AccessAdministration>();
        services.AddSingleton<IPersonalAccessTokens, PersonalAccessTokens>();
        return services;
    }

    public static IEndpointRouteBuilder MapAccess(this IEndpointRouteBuilder endpoints)
    {
        var account = endpoints.MapGroup("/Account");
        // A form post whose antiforgery token this endpoint checks itself: left to the middleware, a missing token made
        // reading the form throw, and the error page re-executed as the same POST threw again (a 500 with no body).
        account.MapPost("/Logout", async Task<IResult> (HttpContext http, SignInManager<AppUser> signIn, IAntiforgery antiforgery) =>
            {
                if (!await antiforgery.IsRequestValidAsync(http))
                {
                    return TypedResults.Content(SignOutExpiredPage, "text/html; charset=utf-8", statusCode: StatusCodes.Status400BadRequest);
                }

                string? returnUrl = http.Request.HasFormContentType ? (await http.Request.ReadFormAsync(http.RequestAborted))["returnUrl"].ToString() : null;
                await signIn.SignOutAsync();
                return TypedResults.LocalRedirect(SignInRedirects.SafeLocal(returnUrl, "/Account/Login"));
            })
            .DisableAntiforgery();
        return endpoints;
    }

    private const string SignOutExpiredPage = """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><title>Sign out · TenantAtlas</title></head>
        <body><p>The sign-out form has expired or did not come from TenantAtlas, so you are still signed in.
        Reload the page and sign out again.</p><p><a href="/admin">Back to my workspaces</a></p></body></html>
        """;

    private static Task ApiAwareRedirect(RedirectContext<CookieAuthenticationOptions> context, int status)
    {
        if (context.Request.Path.StartsWithSegments("/api"))
        {
            context.Response.StatusCode = status;
            return Task.CompletedTask;
        }

        context.Response.Redirect(context.RedirectUri);
        return Task.CompletedTask;
    }
}

/// <summary>The Access module's line in the module catalogue (<c>src/modules.txt</c>): how the host composes it.</summary>
internal sealed class AccessModuleEntry : IModule
{
    public void AddServices(IServiceCollection services, IConfiguration configuration, IHostEnvironment environment) => services.AddAccess(environment);

    public void MapEndpoints(IEndpointRouteBuilder endpoints) => endpoints.MapAccess();
}
