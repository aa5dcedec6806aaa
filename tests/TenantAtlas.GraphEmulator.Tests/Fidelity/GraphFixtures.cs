using System.Text.RegularExpressions;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace TenantAtlas.GraphEmulator.Tests.Fidelity;

/// <summary>
/// Where Microsoft's example JSON for the fidelity tests is. It is never committed to this repository (it is
/// Microsoft's text): Fixtures/extract.py writes it from a docs snapshot. The tests look, in order, in the directory
/// named by TENANTATLAS_GRAPH_FIXTURES, in shared/graph-fixtures/ beside the repository (where the steering repo's
/// shared folder lies, for CI), and in the git-ignored Fixtures/extracted/. What is expected there is our own index,
/// Fixtures/SOURCES.md; a fixture it lists that is not found makes its test skipped with the reason, never passed.
/// </summary>
internal static partial class GraphFixtures
{
    public const string EnvironmentVariable = "TENANTATLAS_GRAPH_FIXTURES";

    /// <summary>Fixture names ("beta/deviceConfigurations/x.get.json") from the index, in its order.</summary>
    public static IReadOnlyList<string> Index { get; } = ReadIndex();

    /// <summary>The directories looked at, in order.</summary>
    public static IReadOnlyList<string> Candidates { get; } = FindCandidates();

    /// <summary>The first candidate that exists, or null.</summary>
    public static string? Directory { get; } = Candidates.FirstOrDefault(System.IO.Directory.Exists);

    /// <summary>Why the fidelity tests are skipped, or null when the fixtures were found.</summary>
    public static string? MissingReason => Directory is null
        ? $"Microsoft's example JSON is not in the repository and was not found (looked in: {string.Join(", ", Candidates)}). "
          + "Extract it with tests/TenantAtlas.GraphEmulator.Tests/Fixtures/extract.py <docs-git-dir> <dir> (docs/modules/graph.md)."
        : null;

    public static string PathOf(string fixture) => Path.Combine(Directory ?? throw new InvalidOperationException(MissingReason), fixture);

    /// <summary>Why one fixture's test cannot run (the fixture or one it needs is missing), or null.</summary>
    public static string? MissingFile(string fixture)
    {
        if (Directory is null)
        {
            return MissingReason;
        }

        var missing = Needs(fixture).Where(f => !File.Exists(PathOf(f))).ToList();
        return missing.Count == 0 ? null : $"Fixture {string.Join(", ", missing)} listed in Fixtures/SOURCES.md is missing from {Directory}.";
    }

    /// <summary>The fixture and the ones its test also reads (a compliance create is sent with the example rule and action, a rule in its policy).</summary>
    private static IEnumerable<string> Needs(string fixture)
    {
        yield return fixture;
        if (fixture.StartsWith("beta/deviceCompliancePolicies/", StringComparison.Ordinal) && fixture.EndsWith(".create.json", StringComparison.Ordinal))
        {
            yield return "beta/deviceCompliancePolicies/deviceComplianceScheduledActionForRule.create.json";
            yield return "beta/deviceCompliancePolicies/deviceComplianceActionItem.create.json";
        }

        if (fixture.EndsWith("ScheduledActionForRule.create.json", StringComparison.Ordinal))
        {
            yield return PolicyOf(fixture);
            yield return ActionOf(fixture);
            yield return fixture.Replace(".create.", ".get.", StringComparison.Ordinal);
            yield return ActionOf(fixture).Replace(".create.", ".get.", StringComparison.Ordinal);
        }
    }

    /// <summary>The example action beside an example rule for noncompliance.</summary>
    public static string ActionOf(string ruleFixture) =>
        ruleFixture.Replace("ScheduledActionForRule.", "ActionItem.", StringComparison.Ordinal);

    /// <summary>The example policy create a rule for noncompliance is sent in (classic compliance: the Windows 10 policy).</summary>
    public static string PolicyOf(string ruleFixture) =>
        ruleFixture.StartsWith("beta/compliancePolicies/", StringComparison.Ordinal)
            ? "beta/compliancePolicies/deviceManagementCompliancePolicy.create.json"
            : "beta/deviceCompliancePolicies/windows10CompliancePolicy.create.json";

    private static List<string> FindCandidates()
    {
        var result = new List<string>();
        if (Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } fromEnvironment)
        {
            result.Add(Path.GetFullPath(fromEnvironment));
        }

        var repo = new DirectoryInfo(AppContext.BaseDirectory);
        while (repo is not null && !File.Exists(Path.Combine(repo.FullName, "TenantAtlas.sln")))
        {
            repo = repo.Parent;
        }

        if (repo is not null)
        {
            result.Add(Path.GetFullPath(Path.Combine(repo.FullName, "..", "shared", "graph-fixtures")));
            result.Add(Path.Combine(repo.FullName, "tests", "TenantAtlas.GraphEmulator.Tests", "Fixtures", "extracted"));
        }

        return result;
    }

    private static List<string> ReadIndex()
    {
        var index = Path.Combine(AppContext.BaseDirectory, "Fixtures", "SOURCES.md");
        return [.. File.ReadLines(index).Select(line => IndexRow().Match(line)).Where(m => m.Success).Select(m => m.Groups[1].Value)];
    }

    [GeneratedRegex(@"^\| `([^`]+\.json)` \|", RegexOptions.CultureInvariant)]
    private static partial Regex IndexRow();
}

/// <summary>A fact that needs the fixtures: skipped, with where it looked, when they are not found.</summary>
public sealed class FixtureFactAttribute : FactAttribute
{
    public FixtureFactAttribute()
    {
        Skip = GraphFixtures.MissingReason;
    }
}

/// <summary>
/// A theory over fixtures of the index: skipped as a whole when the fixtures are not found, and each row whose fixture
/// file is missing is reported skipped with that file's name.
/// </summary>
[XunitTestCaseDiscoverer("TenantAtlas.GraphEmulator.Tests.Fidelity.FixtureTheoryDiscoverer", "TenantAtlas.GraphEmulator.Tests")]
public sealed class FixtureTheoryAttribute : TheoryAttribute
{
    public FixtureTheoryAttribute()
    {
        Skip = GraphFixtures.MissingReason;
    }
}

public sealed class FixtureTheoryDiscoverer(IMessageSink diagnosticMessageSink) : TheoryDiscoverer(diagnosticMessageSink)
{
    protected override IEnumerable<IXunitTestCase> CreateTestCasesForDataRow(
        ITestFrameworkDiscoveryOptions discoveryOptions, ITestMethod testMethod, IAttributeInfo theoryAttribute, object[] dataRow)
    {
        if (dataRow is [string fixture] && GraphFixtures.MissingFile(fixture) is { } reason)
        {
            return
            [
                new XunitSkippedDataRowTestCase(
                    DiagnosticMessageSink, discoveryOptions.MethodDisplayOrDefault(), discoveryOptions.MethodDisplayOptionsOrDefault(),
                    testMethod, reason, dataRow),
            ];
        }

        return base.CreateTestCasesForDataRow(discoveryOptions, testMethod, theoryAttribute, dataRow);
    }
}
