namespace TenantAtlas.BuildingBlocks.Errors;

/// <summary>Exceptions that carry a stable code for a run's failure ledger (e.g. Graph's <c>Request_ResourceNotFound</c>).</summary>
public interface IHasErrorCode
{
    string ErrorCode { get; }
}
