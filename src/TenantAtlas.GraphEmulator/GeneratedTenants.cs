using System.Globalization;

namespace TenantAtlas.GraphEmulator;

/// <summary>
/// <see cref="Count"/> tenants made from <see cref="Template"/> (<c>GraphEmulator:GeneratedTenants:Count</c>,
/// <c>GraphEmulator:GeneratedTenants:Template:Policies</c>, …). Their identities follow a fixed rule, so whoever registers
/// them on the other side (the app's <c>seed-bench-tenants</c> command) can compute them without asking: tenant i has
/// tenant id <c>b0000000-0000-4000-8000-{i:x12}</c>, app id <c>a0000000-0000-4000-8000-{i:x12}</c>, secret
/// <c>emulator-bench-secret-{i}</c>, domain <c>bench{i:000}.onmicrosoft.com</c>. Test and benchmark data only.
/// </summary>
public sealed class GeneratedTenants
{
    public int Count { get; set; }

    /// <summary>Sizes, limits and permissions of every generated tenant; its ids, secret and name are replaced.</summary>
    public TenantSpec Template { get; set; } = new();

    public static string TenantIdOf(int i) => string.Create(CultureInfo.InvariantCulture, $"b0000000-0000-4000-8000-{i:x12}");

    public static string AppIdOf(int i) => string.Create(CultureInfo.InvariantCulture, $"a0000000-0000-4000-8000-{i:x12}");

    public static string AppSecretOf(int i) => string.Create(CultureInfo.InvariantCulture, $"emulator-bench-secret-{i}");

    public IEnumerable<TenantSpec> Specs()
    {
        for (var i = 1; i <= Count; i++)
        {
            var spec = Template.Clone();
            spec.TenantId = TenantIdOf(i);
            spec.AppId = AppIdOf(i);
            spec.AppSecret = AppSecretOf(i);
            spec.DisplayName = string.Create(CultureInfo.InvariantCulture, $"Bench {i:000} (emulated)");
            spec.Domain = string.Create(CultureInfo.InvariantCulture, $"bench{i:000}.onmicrosoft.com");
            spec.Seed = Template.Seed + i;
            yield return spec;
        }
    }
}
