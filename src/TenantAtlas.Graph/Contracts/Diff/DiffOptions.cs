namespace TenantAtlas.Graph.Contracts.Diff;

/// <summary>Knobs of a comparison; <see cref="Default"/> is what the restore plan and the backup compare page use.</summary>
public sealed record DiffOptions
{
    public static DiffOptions Default { get; } = new();

    /// <summary>
    /// A person's name for a settings catalog setting definition id ("Defender › Allow real-time monitoring"), e.g. from
    /// a catalogue of setting definitions. When it answers <c>null</c> (or is not set) the label comes from an expanded
    /// <c>settingDefinitions</c> of the setting, else from the id itself (<c>defender › allowrealtimemonitoring</c>).
    /// </summary>
    public Func<string, string?>? SettingLabel { get; init; }

    /// <summary>More property names to ignore at any depth, on top of the volatile ones.</summary>
    public IReadOnlySet<string> IgnoredProperties { get; init; } = new HashSet<string>(StringComparer.Ordinal);

    /// <summary>More arrays of plain values whose order carries no meaning (compared as sets), by property name.</summary>
    public IReadOnlySet<string> UnorderedArrays { get; init; } = new HashSet<string>(StringComparer.Ordinal);
}
