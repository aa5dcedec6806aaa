global using Microsoft.Extensions.DependencyInjection;
global using TenantAtlas.Access.Contracts;
global using TenantAtlas.Operations.Contracts;
global using TenantAtlas.Restore.Contracts;
global using TenantAtlas.Restore.Tests.Support;
