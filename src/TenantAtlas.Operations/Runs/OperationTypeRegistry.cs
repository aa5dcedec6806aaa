using TenantAtlas.Operations.Contracts;

namespace TenantAtlas.Operations.Runs;

/// <summary>The seven built-in types plus any registered through DI, and which of them have a job.</summary>
internal sealed class OperationTypeRegistry
{
    private readonly Dictionary<string, OperationTypeDefinition> definitions;
    private readonly HashSet<string> withJob;

    public OperationTypeRegistry(IEnumerable<OperationTypeDefinition> extra, IEnumerable<OperationJobRegistration> jobs)
    {
        definitions = OperationTypes.All.Concat(extra).ToDictionary(d => d.Key, StringComparer.Ordinal);
        withJob = jobs.Select(j => j.TypeKey).ToHashSet(StringComparer.Ordinal);
        foreach (var key in withJob.Where(k => !definitions.ContainsKey(k)))
        {
            throw new InvalidOperationException($"A job is registered for '{key}', which is not an operation type.");
        }
    }

    public IEnumerable<OperationTypeDefinition> All => definitions.Values;

    public OperationTypeDefinition? Find(string key) => definitions.GetValueOrDefault(key);

    public bool HasJob(string key) => withJob.Contains(key);

    public string LabelOf(string key) => Find(key)?.Label ?? key;
}
