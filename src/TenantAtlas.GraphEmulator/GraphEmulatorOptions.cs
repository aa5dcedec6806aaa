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
