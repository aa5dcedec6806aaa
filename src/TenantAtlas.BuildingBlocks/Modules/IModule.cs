using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace TenantAtlas.BuildingBlocks.Modules;

/// <summary>
/// How the host composes one module. Each module assembly has exactly one implementation; the host finds it through the
/// catalogue (<c>src/modules.txt</c>, <see cref="ModuleCatalogue"/>), so adding a module is one line there.
/// </summary>
public interface IModule
{
    /// <summary>The module's services; a module database registered here is migrated by the host's <c>migrate</c> step.</summary>
    void AddServices(IServiceCollection services, IConfiguration configuration, IHostEnvironment environment);

    /// <summary>After the host is built, in every role: recurring jobs.</summary>
    void Start(WebApplication app)
    {
    }

    /// <summary>Web role only: endpoints besides the module's pages (the router finds those in the module's assembly).</summary>
    void MapEndpoints(IEndpointRouteBuilder endpoints)
    {
    }
}
