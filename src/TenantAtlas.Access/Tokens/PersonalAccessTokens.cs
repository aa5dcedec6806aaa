using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using TenantAtlas.Access.Contracts;
using TenantAtlas.Access.Data;
using TenantAtlas.Access.Users;
using TenantAtlas.BuildingBlocks.Concurrency;

namespace TenantAtlas.Access.Tokens;

internal sealed class PersonalAccessTokens : IPersonalAccessTokens
{
    private const string TokenPrefix = "tat_";

    private readonly IDbContextFactory<AccessDbContext> dbFactory;
    private readonly IAuditLog audit;
    private readonly TimeProvider clock;

    // A script that fires a burst of calls with one token gets one lookup per burst, not one per call; every lookup still
    // starts after the calls it answers arrived (KeyedBatcher), so a revoked token is refused from the next call on.
    private readonly KeyedBatcher<string, bool, Guid?> lookups;

    public PersonalAccessTokens(IDbContextFactory<AccessDbContext> dbFactory, IAuditLog audit, TimeProvider clock)
    {
        this.dbFactory = dbFactory;
        this.audit = audit;
        this.clock = clock;
        lookups = new KeyedBatcher<string, bool, Guid?>(async (hash, calls) =>
        {
            var userId = await LookUpAsync(Convert.FromHexString(hash));
            return [.. calls.Select(_ => userId)];
        });
    }

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

        return await lookups.RunAsync(Convert.ToHexString(Hash(token)), true, cancellationToken);
    }

    /// <summary>The token's user if the token is valid (not revoked, not expired) and the account not locked out — one query.</summary>
    private async Task<Guid?> LookUpAsync(byte[] hash)
    {
        var now = clock.GetUtcNow();
        await using var db = await dbFactory.CreateDbContextAsync();
        var found = await (from t in db.PersonalAccessTokens.AsNoTracking()
                           join u in db.Users.AsNoTracking() on t.UserId equals u.Id
                           where t.TokenHash == hash && t.RevokedAt == null && t.ExpiresAt > now
                                 // ASP.NET Identity's IsLockedOut: lockout enabled and the lockout end not yet passed.
                                 && !(u.LockoutEnabled && u.LockoutEnd != null && u.LockoutEnd >= now)
                           select new { t.Id, t.UserId, t.LastUsedAt }).FirstOrDefaultAsync();
        if (found is null)
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
                """);
        }

        return found.UserId;
    }

    private static byte[] Hash(string token) => SHA256.HashData(Encoding.UTF8.GetBytes(token));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
