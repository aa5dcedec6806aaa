using System.Text.Json.Nodes;

namespace TenantAtlas.GraphEmulator.State;

/// <summary>One stored Graph object: its own properties plus the navigation collections Graph serves beside it.</summary>
internal sealed class StoredResource
{
    public StoredResource(JsonObject data)
    {
        Data = data;
        Id = data["id"]?.GetValue<string>() ?? throw new ArgumentException("A stored resource needs an id.", nameof(data));
    }

    public string Id { get; }

    public JsonObject Data { get; set; }

    public List<JsonObject> Assignments { get; } = [];

    /// <summary>Settings catalog: deviceManagementConfigurationSetting items.</summary>
    public List<JsonObject> Settings { get; } = [];

    /// <summary>Administrative templates: each value holds its "definition" and "presentationValues", served only when expanded or asked for.</summary>
    public List<JsonObject> DefinitionValues { get; } = [];

    /// <summary>Compliance: scheduledActionsForRule, each with its "scheduledActionConfigurations".</summary>
    public List<JsonObject> ScheduledActionsForRule { get; } = [];

    /// <summary>App protection and MAM app configuration: the targeted apps (managedMobileApp), written by targetApps.</summary>
    public List<JsonObject> Apps { get; } = [];

    /// <summary>
    /// Child objects by navigation (notification templates' localized messages, Windows Information Protection's AppLocker
    /// files, a policy set's items).
    /// </summary>
    public Dictionary<string, List<JsonObject>> Children { get; } = new(StringComparer.Ordinal);

    /// <summary>The children of one navigation (an empty list, kept, when there are none yet).</summary>
    public List<JsonObject> ChildrenOf(string navigation)
    {
        if (!Children.TryGetValue(navigation, out var list))
        {
            list = [];
            Children[navigation] = list;
        }

        return list;
    }

    /// <summary>Driver update profiles: the drivers Intune found for the profile's devices, each with its approval state.</summary>
    public List<JsonObject> DriverInventories { get; } = [];

    /// <summary>
    /// Device configurations: the clear text of encrypted OMA-URI values by their <c>secretReferenceValueId</c>, served only
    /// by <c>getOmaSettingPlainTextValue</c> (the object itself carries an encrypted blob).
    /// </summary>
    public Dictionary<string, string> Secrets { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>A copy under another id (navigation collections kept, assignments optionally).</summary>
    public StoredResource WithId(string id, bool keepAssignments)
    {
        var data = (JsonObject)Data.DeepClone();
        data["id"] = id;
        var copy = new StoredResource(data);
        if (keepAssignments)
        {
            copy.Assignments.AddRange(Assignments.Select(a => (JsonObject)a.DeepClone()));
        }

        copy.Settings.AddRange(Settings.Select(s => (JsonObject)s.DeepClone()));
        copy.DefinitionValues.AddRange(DefinitionValues.Select(d => (JsonObject)d.DeepClone()));
        copy.ScheduledActionsForRule.AddRange(ScheduledActionsForRule.Select(s => (JsonObject)s.DeepClone()));
        copy.Apps.AddRange(Apps.Select(a => (JsonObject)a.DeepClone()));
        foreach (var (navigation, children) in Children)
        {
            copy.Children[navigation] = [.. children.Select(c => (JsonObject)c.DeepClone())];
        }

        copy.DriverInventories.AddRange(DriverInventories.Select(d => (JsonObject)d.DeepClone()));
        foreach (var (reference, value) in Secrets)
        {
            copy.Secrets[reference] = value;
        }

        return copy;
    }

    public StoredResource DeepClone()
    {
        var copy = new StoredResource((JsonObject)Data.DeepClone());
        copy.Assignments.AddRange(Assignments.Select(a => (JsonObject)a.DeepClone()));
        copy.Settings.AddRange(Settings.Select(s => (JsonObject)s.DeepClone()));
        copy.DefinitionValues.AddRange(DefinitionValues.Select(d => (JsonObject)d.DeepClone()));
        copy.ScheduledActionsForRule.AddRange(ScheduledActionsForRule.Select(s => (JsonObject)s.DeepClone()));
        copy.Apps.AddRange(Apps.Select(a => (JsonObject)a.DeepClone()));
        foreach (var (navigation, children) in Children)
        {
            copy.Children[navigation] = [.. children.Select(c => (JsonObject)c.DeepClone())];
        }

        copy.DriverInventories.AddRange(DriverInventories.Select(d => (JsonObject)d.DeepClone()));
        foreach (var (reference, value) in Secrets)
        {
            copy.Secrets[reference] = value;
        }

        return copy;
    }
}
