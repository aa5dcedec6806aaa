using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using TenantAtlas.Access.Contracts;
using TenantAtlas.Access.Data;
using TenantAtlas.Access.Users;

namespace TenantAtlas.Access.Tokens;

internal sealed class PersonalAccessTokens(
    IDbContextFactory<AccessDbContext> dbFactory,
    IServiceScopeFactory scopes,
    IAuditLog audit,
    TimeProvider clock) : IPersonalAccessTokens
{
    private const string TokenPrefix = "tat_";

    public async Task<CreatedToken> CreateAsync(Guid userId, string name, int expiresInDays, CancellationToken cancellationToken = default)
    {
        name = string.IsNullOrWhiteSpace(name) ? "token" : name.Trim();
        if (name.Length > 100)
        {
            throw new ArgumentException("A token name has at most 100 characters.", nameof(name));
        }

        if (expiresInDays is < 1 or > IPersonalAccessTokens.MaxDays)
        {
            throw new ArgumentOutOfRangeException(nameof(expiresInDays), $"A token expires after 1 to {IPersonalAccessTokens.MaxDays} days.");
        }

        var secret = TokenPrefix + Base64Url(RandomNumberGenerator.GetBytes(32));
        var now = clock.GetUtcNow();
        var token = new PersonalAccessToken
        {
            Id = Guid.CreateVersion7(now),
            UserId = userId,
            Name = name,
            Prefix = secret[..10],
            TokenHash = Hash(secret),
            CreatedAt = now,
            ExpiresAt = now.AddDays(expiresInDays),
        };
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        db.PersonalAccessTokens.Add(token);
        await db.SaveChangesAsync(cancellationToken);
        await audit.WriteAsync(new AuditRecord(Actor.User(userId), null, "token.created", $"Created personal access token '{name}' ({token.Prefix}…), expires {token.ExpiresAt:yyyy-MM-dd}."), cancellationToken);
        return new CreatedToken(token.Id, secret, token.ExpiresAt);
    }

    public async Task<IReadOnlyList<TokenInfo>> ListAsync(Guid userId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.PersonalAccessTokens.AsNoTracking().Where(t => t.UserId == userId).OrderByDescending(t => t.CreatedAt)
            .Select(t => new TokenInfo(t.Id, t.Name, t.Prefix, t.CreatedAt, t.ExpiresAt, t.RevokedAt, t.LastUsedAt))
            .ToListAsync(cancellationToken);
    }

    public async Task<bool> RevokeAsync(Guid userId, Guid tokenId, CancellationToken cancellationToken = default)
    {
        var now = clock.GetUtcNow();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var revoked = await db.PersonalAccessTokens.Where(t => t.Id == tokenId && t.UserId == userId && t.RevokedAt == null)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.RevokedAt, now), cancellationToken) == 1;
        if (revoked)
        {
            await audit.WriteAsync(new AuditRecord(Actor.User(userId), null, "token.revoked", $"Revoked personal access token {tokenId}."), cancellationToken);
        }

        return revoked;
    }

    public async Task<Guid?> ValidateAsync(string token, CancellationToken cancellationToken = default)
    {
        if (!token.StartsWith(TokenPrefix, StringComparison.Ordinal) || token.Length > 200)
        {
            return null;
        }

        var hash = Hash(token);
        var now = clock.GetUtcNow();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var found = await db.PersonalAccessTokens.AsNoTracking()
            .Where(t => t.TokenHash == hash && t.RevokedAt == null && t.ExpiresAt > now)
            .Select(t => new { t.Id, t.UserId, t.LastUsedAt }).FirstOrDefaultAsync(cancellationToken);
        if (found is null)
        {
            return null;
        }

        // A locked-out account's tokens stop working too.
        using var scope = scopes.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var user = await users.FindByIdAsync(found.UserId.ToString());
        if (user is null || await users.IsLockedOutAsync(user))
        {
            return null;
        }

        if (found.LastUsedAt is null || now - found.LastUsedAt > TimeSpan.FromMinutes(1))
        {
            // At most one writer per minute and never a queue: a burst of calls must not wait on this row's lock.
            var stale = now - TimeSpan.FromMinutes(1);
            await db.Database.ExecuteSqlAsync($"""
                UPDATE access.personal_access_tokens SET last_used_at = {now}
                 WHERE id = (SELECT id FROM access.personal_access_tokens
                              WHERE id = {found.Id} AND (last_used_at IS NULL OR last_used_at < {stale})
                              FOR UPDATE SKIP LOCKED)
                """, cancellationToken);
        }

        return found.UserId;
    }

    private static byte[] Hash(string token) => SHA256.HashData(Encoding.UTF8.GetBytes(token));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
