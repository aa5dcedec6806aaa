global using Microsoft.Extensions.DependencyInjection;
global using TenantAtlas.Legacy.Tests.Support;
global using TenantAtlas.Operations.Contracts;
