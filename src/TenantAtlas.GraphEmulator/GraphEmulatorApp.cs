using System.Net;
using System.Security.Cryptography.X509Certificates;
using TenantAtlas.GraphEmulator.Control;
using TenantAtlas.GraphEmulator.Graph;
using TenantAtlas.GraphEmulator.Hosting;
using TenantAtlas.GraphEmulator.Identity;
using TenantAtlas.GraphEmulator.State;

namespace TenantAtlas.GraphEmulator;

/// <summary>Wiring shared by the standalone server (Program) and the in-process <see cref="GraphEmulatorHost"/>.</summary>
public static class GraphEmulatorApp
{
    public static IServiceCollection AddGraphEmulator(this IServiceCollection services, GraphEmulatorOptions options, X509Certificate2? certificate)
    {
        var state = new EmulatorState(options);
        services.AddSingleton(options);
        services.AddSingleton(state);
        services.AddSingleton(new GraphDispatcher(state));
        services.AddSingleton(new EmulatorCertificate(certificate));
        services.ConfigureHttpJsonOptions(json => json.SerializerOptions.WriteIndented = false);
        return services;
    }

    public static WebApplication MapGraphEmulator(this WebApplication app)
    {
        app.MapEntra();
        app.MapGraph();
        app.MapControl();
        return app;
    }

    /// <summary>
    /// The standalone server: binds GraphEmulator options from configuration, listens on --urls (default
    /// http://127.0.0.1:5090) plus an https port for the Entra authority, and seeds the configured tenants.
    /// </summary>
    public static WebApplication BuildStandalone(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        var options = builder.Configuration.GetSection(GraphEmulatorOptions.SectionName).Get<GraphEmulatorOptions>() ?? new GraphEmulatorOptions();
        var certificate = options.EnableHttps ? LoopbackCertificate.LoadOrCreate(options.CertificatePath) : null;
        var urls = (builder.Configuration["urls"] ?? "http://127.0.0.1:5090")
            .Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(u => new Uri(u.Replace("://*", "://0.0.0.0", StringComparison.Ordinal).Replace("://+", "://0.0.0.0", StringComparison.Ordinal)))
            .ToList();
        // Kestrel listens where configured below; clearing the urls setting avoids its "overriding addresses" warning.
        builder.WebHost.UseSetting(WebHostDefaults.ServerUrlsKey, "");
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            foreach (var url in urls)
            {
                var https = url.Scheme == Uri.UriSchemeHttps;
                if (https && certificate is null)
                {
                    throw new InvalidOperationException("An https url needs GraphEmulator:EnableHttps.");
                }

                Listen(kestrel, url.Host, url.Port, https ? certificate : null);
            }

            if (certificate is not null && !urls.Any(u => u.Scheme == Uri.UriSchemeHttps))
            {
                Listen(kestrel, urls.FirstOrDefault()?.Host ?? "127.0.0.1", options.HttpsPort, certificate);
            }
        });
        builder.Services.AddGraphEmulator(options, certificate);
        var app = builder.Build();
        app.MapGraphEmulator();
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            var state = app.Services.GetRequiredService<EmulatorState>();
            app.Logger.LogInformation(
                "Graph emulator listening on {Addresses}; {Tenants} tenant(s): {TenantIds}; TLS certificate SHA-256 {Thumbprint}",
                string.Join(", ", app.Urls),
                state.Tenants.Count,
                string.Join(", ", state.Tenants.Select(t => t.TenantId)),
                certificate is null ? "(none)" : LoopbackCertificate.Thumbprint(certificate));
        });
        return app;
    }

    private static void Listen(Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions kestrel, string host, int port, X509Certificate2? certificate)
    {
        void Configure(Microsoft.AspNetCore.Server.Kestrel.Core.ListenOptions listen)
        {
            if (certificate is not null)
            {
                listen.UseHttps(certificate);
            }
        }

        if (host == "localhost")
        {
            kestrel.ListenLocalhost(port, Configure);
        }
        else if (IPAddress.TryParse(host.Trim('[', ']'), out var address))
        {
            kestrel.Listen(address, port, Configure);
        }
        else
        {
            kestrel.ListenAnyIP(port, Configure);
        }
    }
}
