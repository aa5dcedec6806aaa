namespace TenantAtlas.GraphEmulator;

public sealed class GraphEmulatorOptions
{
    /// <summary>Configuration section the standalone server binds (appsettings.json, environment, command line).</summary>
    public const string SectionName = "GraphEmulator";

    /// <summary>Tenants created at start (and again by a full reset).</summary>
    public List<TenantSpec> Tenants { get; set; } = [];

    /// <summary>Seed for the order of $batch responses (Graph may answer out of order); null keeps request order.</summary>
    public int? BatchShuffleSeed { get; set; } = 7;

    public int TokenLifetimeSeconds { get; set; } = 3599;

    /// <summary>How long a groups delta token stays valid (Graph: about 7 days for directory objects).</summary>
    public TimeSpan DeltaTokenLifetime { get; set; } = TimeSpan.FromDays(7);

    public int MaxRequestLogEntries { get; set; } = 100_000;

    /// <summary>
    /// Latency added to every Graph round trip, as milliseconds "MIN-MAX" (uniformly random per call, e.g. "80-200") or one
    /// number; null: none. A <c>$batch</c> is one round trip (its items add none); token requests and the control API add
    /// none. The delay comes before the call is admitted (service limits, log), as the network's does. For benchmarks.
    /// </summary>
    public string? LatencyMs { get; set; }

    /// <summary>
    /// More tenants made from one template, for benchmarks that need a fleet (an MSP's hundred tenants): tenant i (1…Count)
    /// gets the ids and secret of <see cref="GeneratedTenants.TenantIdOf"/> and the template's sizes, limits and seed + i.
    /// </summary>
    public GeneratedTenants? GeneratedTenants { get; set; }

    /// <summary>The configured tenants, then the generated ones.</summary>
    public IEnumerable<TenantSpec> AllTenantSpecs() =>
        GeneratedTenants is { Count: > 0 } generated ? Tenants.Concat(generated.Specs()) : Tenants;

    /// <summary>
    /// Serve an https endpoint too: MSAL (inside Azure.Identity) refuses an authority that is not https,
    /// so the token endpoint must be reachable over TLS. The certificate is self-signed for 127.0.0.1/localhost.
    /// </summary>
    public bool EnableHttps { get; set; } = true;

    /// <summary>Standalone only: https port (0 picks a free one). The in-process host always picks free ports.</summary>
    public int HttpsPort { get; set; } = 5091;

    /// <summary>Standalone only: a PFX file to load the TLS certificate from, created there on first start when missing.</summary>
    public string? CertificatePath { get; set; }

    /// <summary>Key that signs access tokens and paging tokens (base64, 32+ bytes); random per start when null.</summary>
    public string? SigningKey { get; set; }

    /// <summary>Clock for token lifetimes, timestamps and the request log; tests may swap it.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;
}
