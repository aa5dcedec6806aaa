using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http;

namespace TenantAtlas.Access.Contracts;

/// <summary>What every module's API shares about who may change state.</summary>
public static class ApiEndpointFilters
{
    /// <summary>
    /// A state-changing API call authenticated by the sign-in cookie needs the antiforgery token (header
    /// <c>RequestVerificationToken</c>); a personal-access-token call does not (no browser sends it on its own).
    /// </summary>
    public static async ValueTask<object?> CookieCallsNeedAntiforgery(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var http = context.HttpContext;
        if (http.User.Identity?.AuthenticationType != AccessSchemes.PersonalAccessToken)
        {
            var antiforgery = http.RequestServices.GetService(typeof(IAntiforgery)) as IAntiforgery;
            if (antiforgery is null || !await antiforgery.IsRequestValidAsync(http))
            {
                return TypedResultsProblem(
                    "Antiforgery token required",
                    "A state-changing call signed in by cookie needs the antiforgery token in the RequestVerificationToken header. Scripts should use a personal access token (Authorization: Bearer …).");
            }
        }

        return await next(context);
    }

    private static IResult TypedResultsProblem(string title, string detail) =>
        Results.Problem(detail, statusCode: StatusCodes.Status400BadRequest, title: title);
}
