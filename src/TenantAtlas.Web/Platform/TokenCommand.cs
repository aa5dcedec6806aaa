using System.Globalization;
using TenantAtlas.Access.Contracts;

namespace TenantAtlas.Web.Platform;

/// <summary><c>tokens create --user EMAIL [--expires DAYS] [--name NAME]</c>: a personal access token for scripts and CI, printed once.</summary>
internal static class TokenCommand
{
    public const string Usage = "Usage: tokens create --user EMAIL [--expires DAYS (1-366, default 30)] [--name NAME]";

    public static async Task<int> RunAsync(IServiceProvider services, string[] args, TextWriter? output = null, TextWriter? error = null)
    {
        output ??= Console.Out;
        error ??= Console.Error;
        if (args.FirstOrDefault() != "create")
        {
            await error.WriteLineAsync(Usage);
            return 2;
        }

        string? Option(string name)
        {
            var index = Array.IndexOf(args, name);
            return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
        }

        var email = Option("--user");
        var expires = Option("--expires") ?? "30";
        if (string.IsNullOrWhiteSpace(email) || !int.TryParse(expires, NumberStyles.None, CultureInfo.InvariantCulture, out var days) || days is < 1 or > IPersonalAccessTokens.MaxDays)
        {
            await error.WriteLineAsync(Usage);
            return 2;
        }

        await using var scope = services.CreateAsyncScope();
        var userId = await scope.ServiceProvider.GetRequiredService<IAccessAdministration>().FindUserIdByEmailAsync(email.Trim());
        if (userId is null)
        {
            await error.WriteLineAsync($"No account with the email '{email.Trim()}'.");
            return 1;
        }

        var token = await scope.ServiceProvider.GetRequiredService<IPersonalAccessTokens>()
            .CreateAsync(userId.Value, Option("--name") ?? "cli", days);
        // The token alone on stdout, so scripts can capture it: TOKEN=$(dotnet TenantAtlas.Web.dll tokens create --user …)
        await output.WriteLineAsync(token.Token);
        await error.WriteLineAsync($"Token for {email.Trim()}, expires {token.ExpiresAt:yyyy-MM-dd HH:mm} UTC. It is shown only now.");
        return 0;
    }
}
