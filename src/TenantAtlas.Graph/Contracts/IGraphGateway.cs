using System.Text.Json.Nodes;

namespace TenantAtlas.Graph.Contracts;

/// <summary>
/// The only way into Microsoft Graph. Every call goes through the contract registry (<see cref="IGraphContracts"/>),
/// the tenant's cached credential, the tenant's throttle budget (shared by all processes) and one error shape
/// (<see cref="GraphRequestException"/>). Nothing here is ever called while a page renders: only from jobs and from
/// explicit user actions such as "Verify connection".
/// </summary>
public interface IGraphGateway
{
    /// <summary>
    /// Entra groups, page by page. Without <paramref name="deltaLink"/> it is a full listing (every group, pages of up to
    /// 999; the caller treats groups it has but did not receive as gone); with the delta link a previous read returned it
    /// yields only what changed since, including removals. The last page carries the new delta link to store
    /// — store it only after every page was processed.
    /// </summary>
    /// <exception cref="GraphDeltaExpiredException">The delta link is expired, unknown or for another endpoint: read again without it.</exception>
    /// <exception cref="GraphRequestException">Any other failure.</exception>
    IAsyncEnumerable<GraphGroupPage> ReadGroupsAsync(Guid tenantId, string? deltaLink = null, CancellationToken cancellationToken = default);

    /// <summary>Intune RBAC role definitions (built-in and custom).</summary>
    Task<IReadOnlyList<GraphRoleDefinition>> ListRoleDefinitionsAsync(Guid tenantId, CancellationToken cancellationToken = default);

    /// <summary>
    /// The objects of one policy family (or dependency: assignment filters, scope tags), one Graph page at a time,
    /// following Graph's nextLinks verbatim. The next page is fetched only when the caller asks for it.
    /// </summary>
    /// <param name="resourceKey">A key from <see cref="GraphResourceKeys"/> of kind policy family or dependency.</param>
    IAsyncEnumerable<GraphObjectPage> ListObjectsAsync(Guid tenantId, string resourceKey, CancellationToken cancellationToken = default);

    /// <summary>
    /// One policy with everything a backup needs: its properties, assignments and the family's settings
    /// (settings catalog settings, compliance scheduled actions, administrative template definition values with their
    /// definitions and presentation values — the latter fetched with <c>$batch</c>).
    /// </summary>
    Task<GraphPolicyDetail> GetPolicyAsync(Guid tenantId, string resourceKey, string policyId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Creates an object of a family (<c>POST</c> to its collection) from backed-up content: the registry prepares the
    /// body (server-managed properties and OData annotations stripped, GRAPH.md), and each of
    /// <paramref name="protectedValues"/> is unprotected into its place. Returns the created object as Graph answered.
    /// Counts against the tenant's write budget. What the write could not bring back without failing (drivers approved in
    /// the backup that the target's driver inventory lacks) is added to <paramref name="notes"/>, in the admin's words.
    /// </summary>
    /// <exception cref="GraphRequestException">
    /// Any failure; <see cref="GraphFailureKind.ApprovalRequired"/> (<see cref="GraphErrorCodes.ApprovalRequired"/>) when a
    /// Multi Admin Approval access policy protects the family — sent once, never retried.
    /// </exception>
    Task<JsonObject> CreateObjectAsync(
        Guid tenantId, string resourceKey, JsonObject content, IReadOnlyList<GraphProtectedValue>? protectedValues = null, ICollection<string>? notes = null,
        CancellationToken cancellationToken = default);

    /// <summary>Updates an object (<c>PATCH</c>, or the settings catalog's <c>PUT</c> of its documented body) from backed-up content; as <see cref="CreateObjectAsync"/>.</summary>
    Task UpdateObjectAsync(
        Guid tenantId, string resourceKey, string objectId, JsonObject content, IReadOnlyList<GraphProtectedValue>? protectedValues = null, ICollection<string>? notes = null,
        CancellationToken cancellationToken = default);

    /// <summary>Replaces an object's whole assignment set (<c>POST {item}/assign</c>); ids in the targets must already be the tenant's own.</summary>
    Task AssignAsync(Guid tenantId, string resourceKey, string objectId, IReadOnlyList<JsonObject> assignments, CancellationToken cancellationToken = default);

    /// <summary>
    /// Deletes an object of a family restore can create (<c>DELETE {collection}/{id}</c>) — a rollback takes back what a
    /// restore created. Returns false when Graph answers 404 (already gone), which is not an error for a rollback.
    /// Counts against the tenant's write budget; a Multi Admin Approval refusal fails as for the other writes.
    /// </summary>
    Task<bool> DeleteObjectAsync(Guid tenantId, string resourceKey, string objectId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Signs in with the tenant's stored credential and probes one read per permission area (in a single <c>$batch</c>).
    /// Never throws for tenant-side problems: the answer says what is wrong (wrong secret, unknown tenant or app, missing permissions…).
    /// </summary>
    Task<ConnectionVerification> VerifyConnectionAsync(Guid tenantId, CancellationToken cancellationToken = default);
}
