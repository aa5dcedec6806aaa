global using Microsoft.Extensions.DependencyInjection;
global using TenantAtlas.Access.Contracts;
global using TenantAtlas.Inventory.Tests.Support;
global using TenantAtlas.Operations.Contracts;
