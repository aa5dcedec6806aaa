using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using TenantAtlas.Access.Contracts;
using TenantAtlas.Tenants.Contracts;
using TenantAtlas.Tenants.Data;

namespace TenantAtlas.Tenants.Tenants;

/// <summary>The add/edit tenant form's fields, as typed by the user. <see cref="ClientSecret"/> blank on edit keeps the stored one.</summary>
internal sealed record TenantInput(string DisplayName, string EntraTenantId, string ClientId, string? ClientSecret, string? GraphBaseUrl, string? AuthorityHost)
{
    public override string ToString() => $"TenantInput {{ DisplayName = {DisplayName}, EntraTenantId = {EntraTenantId}, ClientId = {ClientId}, ClientSecret = ***, GraphBaseUrl = {GraphBaseUrl} }}";
}

internal sealed record TenantSaveResult(AccessDecision Decision, Guid? TenantId, IReadOnlyDictionary<string, string> Errors)
{
    public bool Succeeded => Decision == AccessDecision.Allowed && Errors.Count == 0;
}

/// <summary>Create and update tenants. Checks <c>tenant.manage</c> itself (the page is never the only check), validates, audits.</summary>
internal interface ITenantEditor
{
    Task<TenantSaveResult> CreateAsync(Guid actingUserId, Guid workspaceId, TenantInput input, CancellationToken cancellationToken = default);

    Task<TenantSaveResult> UpdateAsync(Guid actingUserId, Guid tenantId, TenantInput input, CancellationToken cancellationToken = default);
}

internal sealed class TenantEditor(
    IDbContextFactory<TenantsDbContext> dbFactory,
    IAccessService access,
    ITenantAccess tenantAccess,
    IAuditLog audit,
    IDataProtectionProvider dataProtection,
    TimeProvider clock) : ITenantEditor
{
    private readonly IDataProtector protector = dataProtection.CreateProtector(TenantSecretProtection.Purpose);

    public async Task<TenantSaveResult> CreateAsync(Guid actingUserId, Guid workspaceId, TenantInput input, CancellationToken cancellationToken = default)
    {
        var decision = await access.CheckAsync(actingUserId, workspaceId, Capability.TenantManage, cancellationToken);
        if (decision != AccessDecision.Allowed)
        {
            return new TenantSaveResult(decision, null, new Dictionary<string, string>());
        }

        var (valid, errors) = Validate(input, requireSecret: true);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (errors.Count == 0 && await db.Tenants.AnyAsync(t => t.WorkspaceId == workspaceId && t.DisplayName == valid!.DisplayName, cancellationToken))
        {
            errors[nameof(TenantInput.DisplayName)] = "This workspace already has a tenant with that name.";
        }

        if (errors.Count > 0)
        {
            return new TenantSaveResult(AccessDecision.Allowed, null, errors);
        }

        var now = clock.GetUtcNow();
        var tenant = new Tenant
        {
            Id = Guid.CreateVersion7(),
            WorkspaceId = workspaceId,
            DisplayName = valid!.DisplayName,
            EntraTenantId = valid.EntraTenantId,
            ClientId = valid.ClientId,
            ProtectedClientSecret = protector.Protect(valid.Secret!),
            GraphBaseUrl = valid.GraphBaseUrl.ToString(),
            AuthorityHost = valid.AuthorityHost.ToString(),
            CreatedAt = now,
            UpdatedAt = now,
            SecretUpdatedAt = now,
        };
        db.Tenants.Add(tenant);
        await db.SaveChangesAsync(cancellationToken);
        await audit.WriteAsync(new AuditRecord(Actor.User(actingUserId), workspaceId, "tenant.created",
            $"Added tenant '{tenant.DisplayName}' (Entra tenant {tenant.EntraTenantId}, app {tenant.ClientId}).", tenant.Id), cancellationToken);
        return new TenantSaveResult(AccessDecision.Allowed, tenant.Id, errors);
    }

    public async Task<TenantSaveResult> UpdateAsync(Guid actingUserId, Guid tenantId, TenantInput input, CancellationToken cancellationToken = default)
    {
        var decision = (await tenantAccess.DecideAsync(tenantId, actingUserId, Capability.TenantManage, cancellationToken)).Decision;
        if (decision != AccessDecision.Allowed)
        {
            return new TenantSaveResult(decision, null, new Dictionary<string, string>());
        }

        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var tenant = await db.Tenants.FirstOrDefaultAsync(t => t.Id == tenantId, cancellationToken);
        if (tenant is null)
        {
            return new TenantSaveResult(AccessDecision.NotFound, null, new Dictionary<string, string>());
        }

        var (valid, errors) = Validate(input, requireSecret: false);
        if (errors.Count == 0 && await db.Tenants.AnyAsync(t => t.WorkspaceId == tenant.WorkspaceId && t.Id != tenantId && t.DisplayName == valid!.DisplayName, cancellationToken))
        {
            errors[nameof(TenantInput.DisplayName)] = "This workspace already has a tenant with that name.";
        }

        if (errors.Count > 0)
        {
            return new TenantSaveResult(AccessDecision.Allowed, tenantId, errors);
        }

        var changes = new List<string>();
        void Track(string field, string before, string after)
        {
            if (before != after)
            {
                changes.Add($"{field}: '{before}' → '{after}'");
            }
        }

        Track("name", tenant.DisplayName, valid!.DisplayName);
        Track("Entra tenant id", tenant.EntraTenantId.ToString(), valid.EntraTenantId.ToString());
        Track("app id", tenant.ClientId.ToString(), valid.ClientId.ToString());
        Track("Graph URL", tenant.GraphBaseUrl, valid.GraphBaseUrl.ToString());
        Track("authority", tenant.AuthorityHost, valid.AuthorityHost.ToString());

        var now = clock.GetUtcNow();
        tenant.DisplayName = valid.DisplayName;
        tenant.EntraTenantId = valid.EntraTenantId;
        tenant.ClientId = valid.ClientId;
        tenant.GraphBaseUrl = valid.GraphBaseUrl.ToString();
        tenant.AuthorityHost = valid.AuthorityHost.ToString();
        tenant.UpdatedAt = now;
        var secretChanged = valid.Secret is not null;
        if (secretChanged)
        {
            tenant.ProtectedClientSecret = protector.Protect(valid.Secret!);
            tenant.SecretUpdatedAt = now;
        }

        await db.SaveChangesAsync(cancellationToken);
        if (changes.Count > 0)
        {
            await audit.WriteAsync(new AuditRecord(Actor.User(actingUserId), tenant.WorkspaceId, "tenant.updated",
                $"Updated tenant '{tenant.DisplayName}': {string.Join("; ", changes)}.", tenant.Id), cancellationToken);
        }

        if (secretChanged)
        {
            await audit.WriteAsync(new AuditRecord(Actor.User(actingUserId), tenant.WorkspaceId, "tenant.credential_changed",
                $"Replaced the client secret of tenant '{tenant.DisplayName}'.", tenant.Id), cancellationToken);
        }

        return new TenantSaveResult(AccessDecision.Allowed, tenant.Id, new Dictionary<string, string>());
    }

    internal sealed record ValidTenant(string DisplayName, Guid EntraTenantId, Guid ClientId, string? Secret, Uri GraphBaseUrl, Uri AuthorityHost);

    internal static (ValidTenant? Valid, Dictionary<string, string> Errors) Validate(TenantInput input, bool requireSecret)
    {
        var errors = new Dictionary<string, string>();
        var name = input.DisplayName?.Trim() ?? "";
        if (name.Length is < 2 or > 200)
        {
            errors[nameof(TenantInput.DisplayName)] = "Enter a display name of 2 to 200 characters.";
        }

        if (!Guid.TryParse(input.EntraTenantId?.Trim(), out var entraTenantId) || entraTenantId == Guid.Empty)
        {
            errors[nameof(TenantInput.EntraTenantId)] = "The Entra tenant id is a GUID such as 8f3c2a1e-5b6d-4e7f-9a0b-1c2d3e4f5a6b (Entra admin center › Overview › Tenant ID).";
        }

        if (!Guid.TryParse(input.ClientId?.Trim(), out var clientId) || clientId == Guid.Empty)
        {
            errors[nameof(TenantInput.ClientId)] = "The application (client) id is a GUID (App registrations › your app › Overview).";
        }

        var secret = string.IsNullOrWhiteSpace(input.ClientSecret) ? null : input.ClientSecret.Trim();
        if (requireSecret && secret is null)
        {
            errors[nameof(TenantInput.ClientSecret)] = "Enter the app's client secret value (not its secret id).";
        }
        else if (secret is { Length: > 1024 })
        {
            errors[nameof(TenantInput.ClientSecret)] = "That is too long for a client secret.";
        }

        var graphBaseUrl = ParseEndpoint(input.GraphBaseUrl, GraphDefaults.GraphBaseUrl, nameof(TenantInput.GraphBaseUrl), "Graph base URL", errors);
        var authorityHost = ParseEndpoint(input.AuthorityHost, GraphDefaults.AuthorityHost, nameof(TenantInput.AuthorityHost), "authority host", errors);
        return errors.Count > 0 ? (null, errors) : (new ValidTenant(name, entraTenantId, clientId, secret, graphBaseUrl!, authorityHost!), errors);
    }

    /// <summary>https everywhere; plain http only for loopback (the emulator).</summary>
    private static Uri? ParseEndpoint(string? value, Uri fallback, string field, string label, Dictionary<string, string> errors)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return fallback;
        }

        if (!Uri.TryCreate(value.Trim().TrimEnd('/'), UriKind.Absolute, out var uri)
            || !(uri.Scheme == Uri.UriSchemeHttps || (uri.Scheme == Uri.UriSchemeHttp && uri.IsLoopback))
            || !string.IsNullOrEmpty(uri.Query))
        {
            errors[field] = $"The {label} must be an https URL (http only for a local emulator on 127.0.0.1/localhost).";
            return null;
        }

        return uri;
    }
}
