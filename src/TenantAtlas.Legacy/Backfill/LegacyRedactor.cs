using System.Text.RegularExpressions;
using TenantAtlas.BuildingBlocks.Errors;

namespace TenantAtlas.Legacy.Backfill;

/// <summary>
/// Old error messages are redacted before they become run failures or appear on the legacy pages: besides what every
/// failure message loses (<see cref="SecretRedactor"/>: key=value, JSON, bearer tokens, JWTs), the old system was a Laravel
/// application whose messages hold PHP dumps — <c>[client_secret] => …</c> (print_r) and <c>'client_secret' => '…'</c>
/// (var_export).
/// </summary>
internal static partial class LegacyRedactor
{
    public const int MaxLength = 1000;

    public static string Redact(string? message)
    {
        var value = message ?? "";
        value = PrintR().Replace(value, m => m.Groups[1].Value + "[redacted]");
        value = VarExport().Replace(value, m => m.Groups[1].Value + "'[redacted]'");
        return SecretRedactor.Cap(SecretRedactor.Redact(value).Trim(), MaxLength);
    }

    private const string SecretKeys = "client_secret|secret|password|passwd|access_token|refresh_token|id_token|token|api[_-]?key|authorization|private_key|certificate";

    // print_r: "[client_secret] => abc" up to the end of the line.
    [GeneratedRegex(@"(\[(?:" + SecretKeys + @")\]\s*=>\s*)[^\r\n]*", RegexOptions.IgnoreCase)]
    private static partial Regex PrintR();

    // var_export / PHP arrays: 'client_secret' => 'abc' or "client_secret" => "abc".
    [GeneratedRegex(@"(['""](?:" + SecretKeys + @")['""]\s*=>\s*)(?:'[^']*'|""[^""]*""|[^,\)\]\s]+)", RegexOptions.IgnoreCase)]
    private static partial Regex VarExport();
}
