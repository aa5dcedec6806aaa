global using Microsoft.Extensions.DependencyInjection;
global using TenantAtlas.Access.Contracts;
global using TenantAtlas.Directory.Contracts;
global using TenantAtlas.Directory.Tests.Support;
global using TenantAtlas.Operations.Contracts;
