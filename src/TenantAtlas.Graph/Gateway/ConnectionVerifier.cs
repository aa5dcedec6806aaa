using Azure.Core;
using Microsoft.Extensions.Logging;
using TenantAtlas.Graph.Clients;
using TenantAtlas.Graph.Contracts;
using TenantAtlas.Graph.Errors;
using TenantAtlas.Graph.Registry;

namespace TenantAtlas.Graph.Gateway;

/// <summary>
/// "Verify connection": sign in with the stored credential (AADSTS codes → precise reasons), then one cheap read
/// (<c>$top=1&amp;$select=id</c>) per permission area — the Intune ones in a single <c>$batch</c> — so a 403 names the
/// missing application permission.
/// </summary>
internal sealed class ConnectionVerifier(
    GraphContractRegistry registry,
    TenantGraphClients clients,
    GraphRequests requests,
    ILogger<ConnectionVerifier> logger)
{
    public async Task<ConnectionVerification> VerifyAsync(Guid tenantId, CancellationToken cancellationToken)
    {
        TenantGraphClient client;
        try
        {
            client = await clients.GetAsync(tenantId, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            var failure = GraphErrorMapper.Map(e, tenantId, null);
            return failure.ErrorCode switch
            {
                "tenantNotFound" => Result(ConnectionVerificationStatus.TenantNotFound, failure.Message, failure),
                "noClientSecret" => Result(ConnectionVerificationStatus.NoClientSecret, "No client secret is stored for this tenant. Enter the app's client secret and save.", failure),
                "secretUnreadable" => Result(ConnectionVerificationStatus.SecretUnreadable, failure.Message, failure),
                _ => Result(ConnectionVerificationStatus.Failed, failure.Message, failure),
            };
        }

        try
        {
            await client.Credential.GetTokenAsync(client.TokenRequest, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            var failure = GraphErrorMapper.Map(e, tenantId, null);
            logger.LogInformation("Verify connection of tenant {TenantId}: sign-in failed with {Code}", tenantId, failure.ErrorCode);
            return TokenFailure(client, failure);
        }

        var probes = Probes();
        var checks = new List<PermissionCheck>();
        try
        {
            foreach (var version in probes.Select(p => p.Contract.ApiVersion).Distinct())
            {
                var items = probes.Where(p => p.Contract.ApiVersion == version)
                    .Select(p => new BatchItemRequest(p.Permission, "GET", $"/{p.Contract.CollectionPath}?$top=1&$select=id"))
                    .ToList();
                if (items.Count == 1)
                {
                    // One probe needs no batch: a plain GET, with 403 as the answer we look for.
                    var probe = probes.Single(p => p.Permission == items[0].Id);
                    try
                    {
                        await GraphRequests.GetAsync(client, client.Url(version, items[0].RelativeUrl), probe.Contract.Key, cancellationToken);
                        checks.Add(new PermissionCheck(probe.Permission, probe.Labels, Granted: true));
                    }
                    catch (GraphRequestException e) when (e.Kind == GraphFailureKind.Forbidden)
                    {
                        checks.Add(new PermissionCheck(probe.Permission, probe.Labels, Granted: false));
                    }

                    continue;
                }

                var answers = await requests.BatchAsync(client, version, items, null, cancellationToken);
                foreach (var item in items)
                {
                    var probe = probes.Single(p => p.Permission == item.Id);
                    var answer = answers.GetValueOrDefault(item.Id);
                    if (answer is { IsSuccess: true } or { Status: 403 })
                    {
                        checks.Add(new PermissionCheck(probe.Permission, probe.Labels, answer.IsSuccess));
                        continue;
                    }

                    throw answer is null
                        ? new GraphRequestException(GraphFailureKind.Unknown, "batchItemMissing", "A $batch response lacked an item.")
                        : GraphErrorMapper.FromBatchItem(answer.Status, answer.Body, answer.Headers, tenantId, probe.Contract.Key);
                }
            }
        }
        catch (GraphRequestException e)
        {
            logger.LogInformation("Verify connection of tenant {TenantId}: Graph check failed with {Code}", tenantId, e.ErrorCode);
            var status = e.Kind switch
            {
                GraphFailureKind.Throttled => ConnectionVerificationStatus.Throttled,
                GraphFailureKind.Unavailable => ConnectionVerificationStatus.Unreachable,
                _ => ConnectionVerificationStatus.Failed,
            };
            return new ConnectionVerification(status, e.Message, checks, e.ErrorCode, e.RequestId);
        }

        var ordered = probes.Select(p => checks.Single(c => c.Permission == p.Permission)).ToList();
        var missing = ordered.Where(c => !c.Granted).ToList();
        if (missing.Count > 0)
        {
            var list = string.Join("; ", missing.Select(c => $"{c.Permission} (for {string.Join(", ", c.Resources)})"));
            return new ConnectionVerification(
                ConnectionVerificationStatus.MissingPermissions,
                $"Signed in, but the app lacks {(missing.Count == 1 ? "the application permission" : "these application permissions")}: {list}. "
                + "Add them to the app registration as application permissions and grant admin consent.",
                ordered,
                "Forbidden");
        }

        return new ConnectionVerification(
            ConnectionVerificationStatus.Succeeded,
            $"Signed in to directory {client.EntraTenantId} as app {client.ClientId}; all {ordered.Count} permission areas can be read.",
            ordered);
    }

    /// <summary>
    /// One probe per least-privileged read permission, on the first resource type that needs it (registry order). Retired
    /// families are read by nothing any more, so they are neither probed nor named.
    /// </summary>
    private List<Probe> Probes() =>
        registry.Contracts
            .Where(c => !c.Retired)
            .GroupBy(c => c.ReadPermissions[0], StringComparer.Ordinal)
            .Select(g => new Probe(g.Key, g.First(), [.. g.Select(c => c.Label)]))
            .ToList();

    private static ConnectionVerification TokenFailure(TenantGraphClient client, GraphRequestException failure)
    {
        var (status, message) = failure.ErrorCode switch
        {
            "AADSTS7000215" => (ConnectionVerificationStatus.InvalidClientSecret,
                $"The client secret is wrong (AADSTS7000215). Copy the secret's value (not its id) of app {client.ClientId} and save it again."),
            "AADSTS7000222" => (ConnectionVerificationStatus.InvalidClientSecret,
                $"The client secret has expired (AADSTS7000222). Create a new secret for app {client.ClientId} and save it."),
            "AADSTS90002" or "AADSTS900023" or "AADSTS90072" => (ConnectionVerificationStatus.UnknownTenant,
                $"Entra ID does not know the directory (tenant) id {client.EntraTenantId} ({failure.ErrorCode}). Check the tenant id."),
            "AADSTS700016" => (ConnectionVerificationStatus.UnknownApplication,
                $"No app with client id {client.ClientId} exists in directory {client.EntraTenantId} (AADSTS700016). Check the client id, or consent the app in this tenant."),
            _ when failure.Kind == GraphFailureKind.Unavailable && failure.ErrorCode == "authorityUnreachable" => (ConnectionVerificationStatus.Unreachable, failure.Message),
            _ when failure.HttpStatus == 429 => (ConnectionVerificationStatus.Throttled, failure.Message),
            _ when failure.Kind == GraphFailureKind.Unavailable => (ConnectionVerificationStatus.Unreachable, failure.Message),
            _ => (ConnectionVerificationStatus.Failed, failure.Message),
        };
        return new ConnectionVerification(status, message, [], failure.ErrorCode, failure.RequestId);
    }

    private static ConnectionVerification Result(ConnectionVerificationStatus status, string message, GraphRequestException failure) =>
        new(status, message, [], failure.ErrorCode, failure.RequestId);

    private sealed record Probe(string Permission, GraphResourceContract Contract, IReadOnlyList<string> Labels);
}
