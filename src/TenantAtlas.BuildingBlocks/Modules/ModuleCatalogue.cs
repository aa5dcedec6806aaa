using System.Reflection;

namespace TenantAtlas.BuildingBlocks.Modules;

/// <summary>Whether other modules may reference a module (core) or none does (feature).</summary>
public enum ModuleKind
{
    Core,
    Feature,
}

/// <summary>One line of <c>src/modules.txt</c>.</summary>
public sealed record ModuleEntry(string Name, ModuleKind Kind)
{
    public string AssemblyName => $"TenantAtlas.{Name}";
}

/// <summary>A catalogued module as the host composes it: its assembly (pages) and its <see cref="IModule"/>.</summary>
public sealed record CataloguedModule(ModuleEntry Entry, Assembly Assembly, IModule Module);

/// <summary>
/// The one list of modules, <c>src/modules.txt</c> (embedded into this assembly; <c>scripts/test.sh</c> reads the same
/// file). The order is the host's composition order.
/// </summary>
public static class ModuleCatalogue
{
    public const string FileName = "modules.txt";

    public static IReadOnlyList<ModuleEntry> Entries { get; } = Parse(ReadEmbedded());

    private static readonly Lazy<IReadOnlyList<CataloguedModule>> Loaded = new(() => [.. Entries.Select(Load)]);

    /// <summary>Every module, loaded by assembly name: the host references every module project, so each is deployed with it.</summary>
    public static IReadOnlyList<CataloguedModule> Modules => Loaded.Value;

    public static IReadOnlyList<ModuleEntry> Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var entries = new List<ModuleEntry>();
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var fields = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length != 2 || !Enum.TryParse<ModuleKind>(fields[1], ignoreCase: true, out var kind) || !Enum.IsDefined(kind))
            {
                throw new FormatException($"{FileName}: '{line}' is not 'name kind' with kind core or feature.");
            }

            if (entries.Any(e => e.Name == fields[0]))
            {
                throw new FormatException($"{FileName}: module {fields[0]} is listed twice.");
            }

            entries.Add(new ModuleEntry(fields[0], kind));
        }

        return entries;
    }

    private static string ReadEmbedded()
    {
        using var stream = typeof(ModuleCatalogue).Assembly.GetManifestResourceStream(FileName)
                           ?? throw new InvalidOperationException($"{FileName} is not embedded in {typeof(ModuleCatalogue).Assembly.GetName().Name}.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    private static CataloguedModule Load(ModuleEntry entry)
    {
        Assembly assembly;
        try
        {
            assembly = Assembly.Load(entry.AssemblyName);
        }
        catch (FileNotFoundException e)
        {
            throw new InvalidOperationException(
                $"Module {entry.Name} is in {FileName} but {entry.AssemblyName} is not deployed: reference its project from TenantAtlas.Web.", e);
        }

        var types = assembly.GetTypes().Where(t => typeof(IModule).IsAssignableFrom(t) && t is { IsClass: true, IsAbstract: false }).ToList();
        if (types.Count != 1)
        {
            throw new InvalidOperationException($"{entry.AssemblyName} must have exactly one IModule implementation; it has {types.Count}.");
        }

        return new CataloguedModule(entry, assembly, (IModule)Activator.CreateInstance(types[0], nonPublic: true)!);
    }
}
