global using Microsoft.Extensions.DependencyInjection;
global using TenantAtlas.Access.Contracts;
global using TenantAtlas.Backup.ScheduleAdmin;
global using TenantAtlas.Backup.Scheduler;
global using TenantAtlas.Backup.Tests.Support;
global using TenantAtlas.Operations.Contracts;
