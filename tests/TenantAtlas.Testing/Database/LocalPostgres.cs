using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace TenantAtlas.Testing.Database;

/// <summary>
/// A throwaway PostgreSQL server from the local binaries (<c>/usr/lib/postgresql/*/bin</c>), run as <c>postgres</c> when
/// root. The process-wide test server is one; a test that takes the database away (an outage) starts its own, so stopping
/// it disturbs nobody else.
/// </summary>
public sealed class LocalPostgres : IAsyncDisposable
{
    private readonly string bin;
    private readonly string root;
    private readonly bool isRoot;
    private readonly int port;
    private readonly bool crashSafe;

    private LocalPostgres(string bin, string root, bool isRoot, int port, string password, bool crashSafe)
    {
        this.crashSafe = crashSafe;
        this.bin = bin;
        this.root = root;
        this.isRoot = isRoot;
        this.port = port;
        AdminConnectionString = $"Host=127.0.0.1;Port={port};Username=postgres;Password={password};Database=postgres;Pooling=true;Maximum Pool Size=20";
    }

    /// <summary>A connection string to the server's <c>postgres</c> database.</summary>
    public string AdminConnectionString { get; }

    private string DataDirectory => Path.Combine(root, "data");

    /// <param name="crashSafe">
    /// Commits survive <see cref="StopImmediatelyAsync"/> (synchronous commit on). Off, a commit made just before an
    /// immediate stop may be gone after the restart — fine for a server nobody stops, wrong for an outage test.
    /// </param>
    public static async Task<LocalPostgres> StartAsync(bool crashSafe = false)
    {
        var bin = System.IO.Directory.Exists("/usr/lib/postgresql")
            ? System.IO.Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin")).Where(d => File.Exists(Path.Combine(d, "initdb"))).OrderBy(d => d).LastOrDefault()
            : null;
        if (bin is null)
        {
            throw new InvalidOperationException(
                "No PostgreSQL for tests: set TENANTATLAS_TEST_DB, start a Docker engine, or install Debian's postgresql package (scripts/test.sh does).");
        }

        var root = Path.Combine(Path.GetTempPath(), $"tenantatlas-pg-{Environment.ProcessId}-{Guid.NewGuid():N}"[..40]);
        System.IO.Directory.CreateDirectory(root);
        var password = Guid.NewGuid().ToString("N");
        var pwFile = Path.Combine(root, "pw");
        await File.WriteAllTextAsync(pwFile, password);
        var isRoot = Environment.UserName == "root";
        if (isRoot)
        {
            await RunAsync("chown", ["-R", "postgres:postgres", root]);
        }

        var server = new LocalPostgres(bin, root, isRoot, FreePort(), password, crashSafe);
        await server.RunPgAsync("initdb", ["-D", server.DataDirectory, "-U", "postgres", $"--pwfile={pwFile}", "--auth-host=scram-sha-256", "--auth-local=trust", "--no-sync", "-E", "UTF8", "--locale=C.UTF-8"]);
        await server.StartAgainAsync();
        return server;
    }

    /// <summary>Starts the (stopped) server again on the same port with the same data.</summary>
    public Task StartAgainAsync() => RunPgAsync("pg_ctl",
    [
        "-D", DataDirectory, "-l", Path.Combine(root, "log"), "-w", "-t", "60",
        // fsync off either way: an immediate stop kills the server, not the machine, so what reached the OS survives.
        "-o", $"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit={(crashSafe ? "on" : "off")} -c full_page_writes=off -c max_connections=300",
        "start",
    ]);

    /// <summary>Stops the server at once, as a crash or a failover would: open connections break, new ones are refused.</summary>
    public Task StopImmediatelyAsync() => RunPgAsync("pg_ctl", ["-D", DataDirectory, "-m", "immediate", "-w", "stop"]);

    public async ValueTask DisposeAsync()
    {
        try
        {
            await StopImmediatelyAsync();
        }
        catch (InvalidOperationException)
        {
            // Already stopped.
        }

        try
        {
            System.IO.Directory.Delete(root, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: it is under the temp folder.
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private Task RunPgAsync(string tool, string[] args)
    {
        var file = Path.Combine(bin, tool);
        return isRoot ? RunAsync("runuser", ["-u", "postgres", "--", file, .. args]) : RunAsync(file, args);
    }

    private static async Task RunAsync(string file, string[] args)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        using var process = Process.Start(psi) ?? throw new InvalidOperationException($"Could not start {file}.");
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} failed ({process.ExitCode}): {await stderr}{await stdout}");
        }
    }
}
