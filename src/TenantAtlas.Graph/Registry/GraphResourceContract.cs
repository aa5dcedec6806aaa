using TenantAtlas.Graph.Contracts;

namespace TenantAtlas.Graph.Registry;

/// <summary>What a request does to a resource type. Reads are used now; writes are listed for restore.</summary>
internal enum GraphOperationKind
{
    List,
    Get,
    ReadNavigation,
    Delta,
    Create,
    Update,
    Assign,
    Delete,
    WriteNavigation,
    Batch,
}

/// <summary>Which per-tenant throttle budget a request pays into (services with their own documented limit get their own).</summary>
internal enum GraphBudgetKind
{
    /// <summary>Intune's: 1,000 requests and 100 writes per 20 s per app per tenant (<c>Graph:Budget</c>).</summary>
    Intune,

    /// <summary>Conditional Access policies and named locations: 1 request per second per tenant for all apps (<c>Graph:ConditionalAccessBudget</c>).</summary>
    ConditionalAccess,
}

/// <summary>
/// Objects below each object of a family that Graph does not take inside the object's create or update body (notification
/// templates' localized messages, Windows Information Protection's AppLocker files, a policy set's items): read with
/// <c>$expand</c>, left out of the write body and written after it, so that the target's collection becomes the backed-up
/// one. The target's children are matched on <see cref="KeyProperty"/> (without one: whole, so a changed child is another
/// one); a matched child that differs is changed in place when Graph <see cref="Updates"/> it, else deleted and created
/// again; the missing are created and the extra deleted.
/// </summary>
/// <param name="Navigation">The navigation below the object (<c>localizedNotificationMessages</c>).</param>
internal sealed record GraphChildCollection(string Navigation)
{
    /// <summary>The property naming a child across tenants (<c>locale</c>, <c>payloadId</c>), or null: matched on all it holds.</summary>
    public string? KeyProperty { get; init; }

    /// <summary>Graph changes a child in place (PATCH below the object, or the action's updated children); needs a <see cref="KeyProperty"/>.</summary>
    public bool Updates { get; init; }

    /// <summary>
    /// The object's action that takes every write in one call, or null: POST, PATCH and DELETE below the object, one child
    /// at a time.
    /// </summary>
    public GraphChildWriteAction? WriteAction { get; init; }
}

/// <summary>
/// <c>POST {item}/{Name}</c> with the children to add, those to update (each with its id) and the ids of those to delete,
/// in one call: a policy set's <c>update</c>, as Intune validates the set as a whole.
/// </summary>
internal sealed record GraphChildWriteAction(string Name, string AddedParameter, string UpdatedParameter, string DeletedParameter);

/// <summary>One allowed request: a method and a path template relative to the collection ("", "{id}", "{id}/assign", "delta").</summary>
internal sealed record GraphOperation(string Method, string Template, GraphOperationKind Kind)
{
    public string[] Segments { get; } = Template.Length == 0 ? [] : Template.Split('/');
}

/// <summary>
/// Objects Intune creates only from a template (endpoint security intents): <c>POST {TemplatesPath}/{templateId}/{CreateAction}</c>
/// with the display name, description, scope tags and the settings as <c>settingsDelta</c>; their settings are changed
/// with <c>POST {item}/{SettingsAction}</c> (<c>{"settings": [...]}</c>), never in the object's own body.
/// </summary>
/// <param name="TemplatesPath">The template collection below the version (<c>deviceManagement/templates</c>).</param>
/// <param name="TemplateIdProperty">The object's property naming its template (<c>templateId</c>).</param>
/// <param name="CreateAction">The template's action that creates an object (<c>createInstance</c>).</param>
/// <param name="SettingsAction">The object's action that sets setting values (<c>updateSettings</c>).</param>
/// <param name="SettingsProperty">The navigation holding the settings (<c>settings</c>).</param>
internal sealed record TemplateInstanceWrites(
    string TemplatesPath, string TemplateIdProperty, string CreateAction, string SettingsAction, string SettingsProperty);

/// <summary>
/// One supported resource type: where it lives, how it is read (version, <c>$select</c>, <c>$expand</c>) and how restore
/// writes it (create/update method, assignment action, what to strip). The gateway builds every URL from here and refuses
/// anything that does not match an operation listed here.
/// </summary>
internal sealed class GraphResourceContract
{
    /// <summary>Server-managed or derived properties Graph rejects (or ignores) in a create/update body (GRAPH.md).</summary>
    public static readonly IReadOnlyList<string> CommonStripBeforeWrite =
    [
        "id", "createdDateTime", "lastModifiedDateTime", "modifiedDateTime", "version", "supportsScopeTags", "settingCount",
        "creationSource", "isAssigned",
    ];

    public required string Key { get; init; }

    public required string Label { get; init; }

    public required GraphResourceKind Kind { get; init; }

    /// <summary>Where pickers and the inventory filter show this type (every entry declares one).</summary>
    public required GraphFamilyGroup Group { get; init; }

    /// <summary>"v1.0" or "beta". Most Intune families are beta-only; groups are pinned to v1.0.</summary>
    public required string ApiVersion { get; init; }

    /// <summary>Collection path below the version, without slashes at the ends.</summary>
    public required string CollectionPath { get; init; }

    /// <summary><c>$select</c> of list calls (null: everything). Intune keeps <c>@odata.type</c> on polymorphic families.</summary>
    public IReadOnlyList<string>? ListSelect { get; init; }

    /// <summary>
    /// <c>$filter</c> of list calls (null: everything): what admins' tools list of a family whose collection also holds
    /// objects nobody manages (Intune's built-in apps).
    /// </summary>
    public string? ListFilter { get; init; }

    /// <summary><c>$top</c> of list calls (null: the service's default page size).</summary>
    public int? ListPageSize { get; init; }

    /// <summary>
    /// <c>$expand</c> of list calls: <c>assignments</c> for the policy families, so a listing carries each policy's
    /// assignments (inventory counts them) without one extra call per policy.
    /// </summary>
    public string? ListExpand { get; init; }

    /// <summary><c>$expand</c> when reading one object (e.g. <c>assignments,settings</c>).</summary>
    public string? GetExpand { get; init; }

    /// <summary>Navigations read below one object besides <see cref="GetExpand"/> (templates, e.g. <c>definitionValues</c>).</summary>
    public IReadOnlyList<string> ReadNavigations { get; init; } = [];

    /// <summary>
    /// Navigations Graph does not <c>$expand</c> on this family (intents answer an expanded <c>assignments</c> empty), read
    /// below each object with their own paged GET when one object is read whole.
    /// </summary>
    public IReadOnlyList<string> SeparateReads { get; init; } = [];

    /// <summary>Created from a template and its settings written through an action (intents), or null.</summary>
    public TemplateInstanceWrites? TemplateInstance { get; init; }

    public string DisplayNameProperty { get; init; } = "displayName";

    public bool HasAssignments { get; init; }

    public bool SupportsDelta { get; init; }

    /// <summary>POST to the collection, or null when restore does not create this type.</summary>
    public string? CreateMethod { get; init; }

    /// <summary>PATCH, or PUT for the settings catalog (a full replacement of <see cref="UpdateBodyProperties"/>).</summary>
    public string? UpdateMethod { get; init; }

    /// <summary>For PUT updates: the only properties the body may carry.</summary>
    public IReadOnlyList<string>? UpdateBodyProperties { get; init; }

    /// <summary>The action that replaces the whole assignment set (<c>POST {item}/assign</c>), null when not assignable.</summary>
    public string? AssignAction { get; init; }

    /// <summary>The property holding the assignments in the assign body.</summary>
    public string AssignBodyProperty { get; init; } = "assignments";

    /// <summary>
    /// Graph has no assign action for this family: each assignment is created with <c>POST {item}/assignments</c> (a body
    /// with its <c>target</c>) and removed with <c>DELETE {item}/assignments/{id}</c> (terms and conditions). The gateway's
    /// assign makes the target's set the given one with those calls.
    /// </summary>
    public bool AssignsOneByOne { get; init; }

    /// <summary>
    /// Properties Graph answers only when <c>$select</c>ed by name (branding profiles' images): the read of one object asks
    /// for them in a second GET and puts them into the content.
    /// </summary>
    public IReadOnlyList<string> SelectOnlyProperties { get; init; } = [];

    /// <summary>Navigations restore writes below an object after creating it (admin templates' definition values).</summary>
    public IReadOnlyList<string> WriteNavigations { get; init; } = [];

    /// <summary>
    /// The action that replaces the apps a policy targets (<c>POST {item}/targetApps</c> with <c>{"apps": [...]}</c>), for
    /// app protection and app configuration policies: Graph reads the apps as the <c>apps</c> navigation and does not take
    /// them in a create or update body, so the gateway strips <see cref="AppsProperty"/> from those and writes the apps
    /// with this action afterwards.
    /// </summary>
    public string? TargetAppsAction { get; init; }

    /// <summary>
    /// Driver update profiles: the action that approves drivers (<c>POST {item}/executeAction</c>). The profile's
    /// <see cref="DriverInventoriesProperty"/> is read whole into its content (nextLinks followed) and left out of the
    /// create/update body; after the write, the drivers approved in the backup are approved in the target's inventory.
    /// </summary>
    public string? DriverApprovalAction { get; init; }

    /// <summary>
    /// Compliance of the settings catalog: the action that replaces the actions for noncompliance
    /// (<c>POST {item}/setScheduledActions</c> with <c>{"scheduledActions": [...]}</c>). A create carries them in its body;
    /// the update (a PUT of the settings-catalog properties) cannot, so the gateway sends them with this action after it.
    /// </summary>
    public string? ScheduledActionsAction { get; init; }

    /// <summary>The navigation holding a driver update profile's drivers and their approval state.</summary>
    public const string DriverInventoriesProperty = "driverInventories";

    /// <summary>The navigation holding the targeted apps (read with <c>$expand</c>, written with <see cref="TargetAppsAction"/>).</summary>
    public const string AppsProperty = "apps";

    /// <summary>The collections below each object written after it (see <see cref="GraphChildCollection"/>).</summary>
    public IReadOnlyList<GraphChildCollection> ChildCollections { get; init; } = [];

    /// <summary>
    /// A family kept only so that backups taken of it stay readable: pickers, inventory and new schedules no longer offer
    /// it (<c>PolicyFamilies</c> leaves it out), <c>Find</c> still names it, and it is not restorable
    /// (<see cref="NotRestorableReason"/> says what to do instead).
    /// </summary>
    public bool Retired { get; init; }

    /// <summary>Family-specific properties to strip before writing, on top of <see cref="CommonStripBeforeWrite"/> and OData annotations.</summary>
    public IReadOnlyList<string> ExtraStripBeforeWrite { get; init; } = [];

    /// <summary>
    /// The admin's properties no write of the family can set (another action sets them): stripped before writing like
    /// <see cref="ExtraStripBeforeWrite"/>, and never a difference in a restore plan.
    /// </summary>
    public IReadOnlyList<string> NotWritableProperties { get; init; } = [];

    public required IReadOnlyList<string> ReadPermissions { get; init; }

    public IReadOnlyList<string> WritePermissions { get; init; } = [];

    public IReadOnlyList<string> StripBeforeWrite =>
        [
            .. CommonStripBeforeWrite, .. ExtraStripBeforeWrite, .. NotWritableProperties, .. TargetAppsAction is null ? Array.Empty<string>() : [AppsProperty],
            .. ChildCollections.Select(c => c.Navigation),
            .. DriverApprovalAction is null ? Array.Empty<string>() : [DriverInventoriesProperty],
        ];

    /// <summary>
    /// Why restore cannot bring this family back (shown on the plan's blocked items), or null. A policy family without a
    /// create method must say why (ContractRegistryTests holds every family to it).
    /// </summary>
    public string? NotRestorableReason { get; init; }

    public bool SupportsRestore => CreateMethod is not null && NotRestorableReason is null && !Retired;

    /// <summary>
    /// A dependency or directory object that is also inventoried and backed up with its content (assignment filters,
    /// scope tags, Intune role definitions): listed among the policy families, while its kind keeps restore's reference
    /// mapping and the directory cache as they are.
    /// </summary>
    public bool BackedUp { get; init; }

    /// <summary>A boolean property that marks Intune's built-in objects (<c>isBuiltIn</c>): restore neither creates nor changes them.</summary>
    public string? BuiltInProperty { get; init; }

    /// <summary>Why restore writes this family only into the tenant it was backed up from (ids inside its content), or null.</summary>
    public string? CrossTenantRestoreBlockedReason { get; init; }

    /// <summary>
    /// Marks the objects every tenant has one of per <c>@odata.type</c> and Intune lets only be updated (enrollment
    /// configurations' defaults: id "{tenantId}_Default…"): an id containing it is such a default, or null.
    /// </summary>
    public string? DefaultObjectIdMarker { get; init; }

    /// <summary>A boolean property marking the tenant's built-in default that Intune lets only be updated (branding's <c>isDefaultProfile</c>), or null.</summary>
    public string? DefaultObjectProperty { get; init; }

    /// <summary>A property an object keeps for life (an intent's <c>templateId</c>): restore never writes across values of it.</summary>
    public string? FixedProperty { get; init; }

    /// <summary>The per-tenant throttle budget its requests pay into (Intune's unless the service has its own limit).</summary>
    public GraphBudgetKind Budget { get; init; } = GraphBudgetKind.Intune;

    public IReadOnlyList<GraphOperation> Operations => operations ??= BuildOperations();

    private IReadOnlyList<GraphOperation>? operations;

    public GraphResourceInfo ToInfo() =>
        new(Key, Label, Kind, Group, ApiVersion, CollectionPath, HasAssignments, SupportsRestore, ReadPermissions, WritePermissions)
        {
            NotRestorableReason = SupportsRestore ? null : NotRestorableReason ?? "TenantAtlas has no write path for it.",
            CrossTenantRestoreBlockedReason = CrossTenantRestoreBlockedReason,
            DefaultObjectIdMarker = DefaultObjectIdMarker,
            DefaultObjectProperty = DefaultObjectProperty,
            FixedProperty = FixedProperty,
            Retired = Retired,
            BuiltInProperty = BuiltInProperty,
            NotWritableProperties = NotWritableProperties,
        };

    private List<GraphOperation> BuildOperations()
    {
        // Literal templates before "{id}": "groups/delta" is the delta function, not a group with the id "delta".
        var list = new List<GraphOperation> { new("GET", "", GraphOperationKind.List) };
        if (SupportsDelta)
        {
            list.Add(new("GET", "delta", GraphOperationKind.Delta));
        }

        list.Add(new("GET", "{id}", GraphOperationKind.Get));

        list.AddRange(ReadNavigations.Select(n => new GraphOperation("GET", "{id}/" + n, GraphOperationKind.ReadNavigation)));
        if (HasAssignments)
        {
            list.Add(new("GET", "{id}/assignments", GraphOperationKind.ReadNavigation));
        }

        // A family created from a template is created below the template (TemplateOperations), not in its collection.
        if (CreateMethod is not null && TemplateInstance is null)
        {
            list.Add(new(CreateMethod, "", GraphOperationKind.Create));
        }

        if (UpdateMethod is not null)
        {
            list.Add(new(UpdateMethod, "{id}", GraphOperationKind.Update));
        }

        if (AssignAction is not null)
        {
            list.Add(new("POST", "{id}/" + AssignAction, GraphOperationKind.Assign));
        }

        if (AssignsOneByOne)
        {
            list.Add(new("POST", "{id}/assignments", GraphOperationKind.Assign));
            list.Add(new("DELETE", "{id}/assignments/{id}", GraphOperationKind.Assign));
        }

        // What restore creates it may have to take back (a rollback deletes the objects a restore created).
        if (CreateMethod is not null)
        {
            list.Add(new("DELETE", "{id}", GraphOperationKind.Delete));
        }

        list.AddRange(WriteNavigations.Select(n => new GraphOperation("POST", "{id}/" + n, GraphOperationKind.WriteNavigation)));
        // A navigation restore writes it may have to correct: a value that is not as backed up is deleted and created again.
        list.AddRange(WriteNavigations.Select(n => new GraphOperation("DELETE", "{id}/" + n + "/{id}", GraphOperationKind.WriteNavigation)));
        if (TargetAppsAction is not null)
        {
            list.Add(new("POST", "{id}/" + TargetAppsAction, GraphOperationKind.WriteNavigation));
        }

        if (TemplateInstance is not null)
        {
            list.Add(new("POST", "{id}/" + TemplateInstance.SettingsAction, GraphOperationKind.WriteNavigation));
        }

        // Child collections: listed below the object (an update compares them), written below it or with the object's
        // action (listed once, above, when it is also the assign action).
        foreach (var children in ChildCollections)
        {
            list.Add(new("GET", "{id}/" + children.Navigation, GraphOperationKind.ReadNavigation));
            if (children.WriteAction is { } action)
            {
                if (action.Name != AssignAction)
                {
                    list.Add(new("POST", "{id}/" + action.Name, GraphOperationKind.WriteNavigation));
                }

                continue;
            }

            list.Add(new("POST", "{id}/" + children.Navigation, GraphOperationKind.WriteNavigation));
            if (children.Updates)
            {
                list.Add(new("PATCH", "{id}/" + children.Navigation + "/{id}", GraphOperationKind.WriteNavigation));
            }

            list.Add(new("DELETE", "{id}/" + children.Navigation + "/{id}", GraphOperationKind.WriteNavigation));
        }

        if (DriverApprovalAction is not null)
        {
            list.Add(new("POST", "{id}/" + DriverApprovalAction, GraphOperationKind.WriteNavigation));
        }

        if (ScheduledActionsAction is not null)
        {
            list.Add(new("POST", "{id}/" + ScheduledActionsAction, GraphOperationKind.WriteNavigation));
        }

        return list;
    }

    /// <summary>
    /// What may be asked of the template collection (<see cref="TemplateInstanceWrites.TemplatesPath"/>) for this family:
    /// a template read by id (does the target tenant have it?) and the create action. Empty for other families.
    /// </summary>
    public IReadOnlyList<GraphOperation> TemplateOperations => templateOperations ??= TemplateInstance is null
        ? []
        : [new("GET", "{id}", GraphOperationKind.Get), new("POST", "{id}/" + TemplateInstance.CreateAction, GraphOperationKind.Create)];

    private IReadOnlyList<GraphOperation>? templateOperations;
}
