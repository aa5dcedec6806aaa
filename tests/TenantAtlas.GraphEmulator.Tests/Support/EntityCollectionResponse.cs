using Microsoft.Graph.Models;
using Microsoft.Graph.Models.ODataErrors;
using Microsoft.Kiota.Abstractions;
using Microsoft.Kiota.Abstractions.Serialization;

namespace TenantAtlas.GraphEmulator.Tests.Support;

/// <summary>
/// A collection page of any entity type, for beta-only families the v1.0 SDK has no models for
/// (settings catalog, admin templates…): the way a gateway reads them with RequestInformation.
/// </summary>
public sealed class EntityCollectionResponse : BaseCollectionPaginationCountResponse
{
    public List<Entity>? Value { get; set; }

    public static new EntityCollectionResponse CreateFromDiscriminatorValue(IParseNode parseNode) => new();

    public override IDictionary<string, Action<IParseNode>> GetFieldDeserializers() =>
        new Dictionary<string, Action<IParseNode>>(base.GetFieldDeserializers())
        {
            ["value"] = n => Value = n.GetCollectionOfObjectValues(Entity.CreateFromDiscriminatorValue)?.ToList(),
        };

    public override void Serialize(ISerializationWriter writer)
    {
        base.Serialize(writer);
        writer.WriteCollectionOfObjectValues("value", Value);
    }

    public static readonly Dictionary<string, ParsableFactory<IParsable>> ErrorMapping = new()
    {
        ["XXX"] = ODataError.CreateFromDiscriminatorValue,
    };
}
