global using Microsoft.Extensions.DependencyInjection;
global using TenantAtlas.Testing.Operations;
