namespace TenantAtlas.GraphEmulator.Graph;

internal enum AssignReply
{
    /// <summary>200 with the new assignment set as a collection (device configurations, settings catalog…).</summary>
    Collection,

    /// <summary>204 No Content (scripts, app configuration and protection).</summary>
    NoContent,
}

internal enum IdStyle
{
    Guid,

    /// <summary>"0", "1", "2"… (scope tags; "0" is Default).</summary>
    Sequential,
}

/// <summary>How one resource family behaves: where it lives, who may read it, how it pages and how it is written.</summary>
internal sealed record FamilyDefinition
{
    public required string Name { get; init; }

    /// <summary>"deviceManagement", "deviceAppManagement", "identity/conditionalAccess" or "" for directory objects at the root.</summary>
    public required string Parent { get; init; }

    /// <summary>The collection's path segment below <see cref="Parent"/> when it differs from <see cref="Name"/> (Conditional Access "policies").</summary>
    public string? Segment { get; init; }

    /// <summary>Entra's Conditional Access objects: plain Graph errors (not Intune's), 1 request/s per tenant (<see cref="TenantSpec.ConditionalAccessLimitPerSecond"/>).</summary>
    public bool IsConditionalAccess { get; init; }

    /// <summary>Base entity type, e.g. microsoft.graph.deviceConfiguration.</summary>
    public required string EntityType { get; init; }

    public string? AssignmentType { get; init; }

    public required bool InV1 { get; init; }

    public bool IsDirectory { get; init; }

    /// <summary>List answers carry @odata.type per item, and a create must name the concrete type.</summary>
    public bool Polymorphic { get; init; }

    public required IReadOnlyList<string> ReadPermissions { get; init; }

    public required IReadOnlyList<string> WritePermissions { get; init; }

    public int DefaultPageSize { get; init; } = 100;

    public int MaxPageSize { get; init; } = 1000;

    public bool HasAssignments { get; init; }

    public AssignReply AssignReply { get; init; } = AssignReply.Collection;

    /// <summary>The property the /assign action expects the set in (scripts use their own name; "assignments" is accepted too).</summary>
    public string AssignBodyProperty { get; init; } = "assignments";

    /// <summary>
    /// Graph has no <c>/assign</c> action for the family: assignments are created (<c>POST {item}/assignments</c>) and
    /// deleted one by one (terms and conditions).
    /// </summary>
    public bool NoAssignAction { get; init; }

    /// <summary>Properties answered only when named in <c>$select</c> (branding profiles' images): null otherwise.</summary>
    public IReadOnlySet<string> SelectOnly { get; init; } = new HashSet<string>(StringComparer.Ordinal);

    /// <summary>
    /// A boolean property marking the tenant's own default object (branding's <c>isDefaultProfile</c>): it is seeded in
    /// every tenant, can be updated, and is refused a delete or an assignment; a create never makes one.
    /// </summary>
    public string? DefaultProperty { get; init; }

    public bool UpdateWithPut { get; init; }

    public bool HasVersion { get; init; }

    /// <summary>The version is text ("1", "2"…) rather than a number (remediations).</summary>
    public bool TextVersion { get; init; }

    /// <summary>The version is an entity tag in quotes ("\"8000d36c\""), new at every change (app protection).</summary>
    public bool EtagVersion { get; init; }

    /// <summary>
    /// App protection and MAM app configuration: the targeted apps are the <c>apps</c> navigation (served when expanded
    /// or read below the item) and are written only with <c>POST {item}/targetApps</c>, never in a create or update body.
    /// </summary>
    public bool TargetsApps { get; init; }

    /// <summary>The app identifier types a <see cref="TargetsApps"/> family takes (iosMobileAppIdentifier…).</summary>
    public IReadOnlyList<string> AppIdentifierTypes { get; init; } = [];

    /// <summary>
    /// Graph answers <c>$expand=assignments</c> with an empty collection although the object is assigned (endpoint security
    /// intents: microsoftgraph/microsoft-graph-explorer-v4#2051); the assignments are read below the object.
    /// </summary>
    public bool AssignmentsNotExpanded { get; init; }

    /// <summary>Intune's own catalog (endpoint security templates): read only, its items are not created, changed or deleted.</summary>
    public bool IsCatalog { get; init; }

    /// <summary>The collections of child objects stored below each item (see <see cref="ChildCollectionDefinition"/>).</summary>
    public IReadOnlyList<ChildCollectionDefinition> ChildCollections { get; init; } = [];

    /// <summary>The child collection of that navigation, or null.</summary>
    public ChildCollectionDefinition? ChildCollection(string navigation) =>
        ChildCollections.FirstOrDefault(c => string.Equals(c.Navigation, navigation, StringComparison.Ordinal));

    /// <summary>Policy sets: <c>POST {item}/update</c> adds, updates and deletes items and replaces the assignments.</summary>
    public bool PolicySetUpdate { get; init; }

    /// <summary>
    /// Abstract derived types a <c>$filter</c> may cast to ("microsoft.graph.managedApp/appAvailability"), each with the
    /// concrete types it covers: on an object of another type the cast property reads as null, as OData's cast does.
    /// </summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> FilterCasts { get; init; } = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);

    /// <summary>Items carry @odata.type although the type has no derived types (Graph answers it for scripts).</summary>
    public bool TypedItems { get; init; }

    public string NameProperty { get; init; } = "displayName";

    public IdStyle IdStyle { get; init; } = IdStyle.Guid;

    /// <summary>Properties of the base type: what $select and an untyped PATCH may name.</summary>
    public required IReadOnlySet<string> BaseProperties { get; init; }

    /// <summary>Navigation properties that $expand may name (besides assignments).</summary>
    public IReadOnlySet<string> Navigations { get; init; } = new HashSet<string>(StringComparer.Ordinal);

    /// <summary>Properties the list call answers with null (scripts' content comes only from a GET by id).</summary>
    public IReadOnlySet<string> OmittedFromList { get; init; } = new HashSet<string>(StringComparer.Ordinal);

    /// <summary>
    /// The concrete types the emulator knows for this family, each described in Shapes/graph-schema.json; a create
    /// names one of them. Defaults to the entity type for families that are not polymorphic.
    /// </summary>
    public IReadOnlyList<string> KnownTypes
    {
        get => knownTypes ?? [EntityType];
        init => knownTypes = value;
    }

    private readonly IReadOnlyList<string>? knownTypes;

    public string CollectionPath => Parent.Length == 0 ? PathSegment : $"{Parent}/{PathSegment}";

    public string PathSegment => Segment ?? Name;

    public bool IsIntune => !IsDirectory;
}
