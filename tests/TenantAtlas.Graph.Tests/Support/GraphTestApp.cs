using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using TenantAtlas.Graph.Contracts;
using TenantAtlas.GraphEmulator;
using TenantAtlas.GraphEmulator.State;
using TenantAtlas.Tenants.Contracts;

namespace TenantAtlas.Graph.Tests.Support;

/// <summary>
/// One "process" of TenantAtlas as far as Graph goes: its own service provider (AddGraph, ephemeral Data Protection,
/// captured logs, a fake tenant source) against the shared test database and emulator. Two of them share the budget
/// only through PostgreSQL, like two web/worker processes.
/// </summary>
public sealed class GraphTestApp : IAsyncDisposable
{
    private readonly ServiceProvider services;

    public GraphTestApp(GraphEmulatorHost emulator, string connectionString, IDictionary<string, string?>? settings = null)
    {
        Emulator = emulator;
        var values = new Dictionary<string, string?>
        {
            ["TENANTATLAS_DB"] = connectionString,
            ["Graph:TrustedCertificateThumbprints:0"] = emulator.Certificate!.GetCertHashString(HashAlgorithmName.SHA256),
            ["Graph:RetryDelaySeconds"] = "1",
            // Most tests are not about the budget: give them room (the budget tests shrink it).
            ["Graph:Budget:Requests"] = "100000",
            ["Graph:Budget:Writes"] = "10000",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            values[key] = value;
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        var collection = new ServiceCollection();
        collection.AddSingleton<IConfiguration>(configuration);
        collection.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Trace).AddProvider(Logs));
        collection.AddDataProtection().UseEphemeralDataProtectionProvider();
        collection.AddSingleton<ITenantConnectionSource>(Tenants);
        collection.AddGraph(configuration);
        services = collection.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    public GraphEmulatorHost Emulator { get; }

    public LogCapture Logs { get; } = new();

    public FakeTenantConnections Tenants { get; } = new();

    public IServiceProvider Services => services;

    public IGraphGateway Gateway => services.GetRequiredService<IGraphGateway>();

    public IGraphCallMetrics Metrics => services.GetRequiredService<IGraphCallMetrics>();

    public IGraphContracts Contracts => services.GetRequiredService<IGraphContracts>();

    public IGraphTenantSlots Slots => services.GetRequiredService<IGraphTenantSlots>();

    public T Get<T>()
        where T : notnull => services.GetRequiredService<T>();

    /// <summary>Registers an emulated tenant as TenantAtlas would store it (secret protected with this app's keys); returns its TenantAtlas id.</summary>
    public Guid AddTenant(TenantState tenant, string? secret = null, Guid? entraTenantId = null, Guid? clientId = null, Guid? id = null)
    {
        var tenantId = id ?? Guid.NewGuid();
        Tenants.Set(new TenantConnection(
            tenantId,
            entraTenantId ?? Guid.Parse(tenant.TenantId),
            clientId ?? Guid.Parse(tenant.AppId),
            Protect(secret ?? tenant.Spec.AppSecret),
            Emulator.BaseAddress,
            Emulator.AuthorityHost!));
        return tenantId;
    }

    public string Protect(string secret) =>
        services.GetRequiredService<IDataProtectionProvider>().CreateProtector(TenantSecretProtection.Purpose).Protect(secret);

    public async Task<List<GraphObjectPage>> ListAllAsync(Guid tenantId, string resourceKey)
    {
        var pages = new List<GraphObjectPage>();
        await foreach (var page in Gateway.ListObjectsAsync(tenantId, resourceKey))
        {
            pages.Add(page);
        }

        return pages;
    }

    public async Task<List<GraphGroupPage>> ReadGroupsAsync(Guid tenantId, string? deltaLink = null)
    {
        var pages = new List<GraphGroupPage>();
        await foreach (var page in Gateway.ReadGroupsAsync(tenantId, deltaLink))
        {
            pages.Add(page);
        }

        return pages;
    }

    public async ValueTask DisposeAsync() => await services.DisposeAsync();
}
