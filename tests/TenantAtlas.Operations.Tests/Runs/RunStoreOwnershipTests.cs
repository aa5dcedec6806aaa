using System.Text.RegularExpressions;

namespace TenantAtlas.Operations.Tests.Runs;

/// <summary>
/// Issue 11: every write to <c>operations.operation_runs</c> is a named transition of <c>Runs/RunStore.cs</c>, and the
/// stored spellings of status and outcome appear nowhere else in the code (the enums are used end to end). Read from the
/// sources, so a new write or a new literal anywhere in src/ fails here with the file and line.
/// </summary>
public sealed partial class RunStoreOwnershipTests
{
    private const string Store = "src/TenantAtlas.Operations/Runs/RunStore.cs";

    /// <summary>Where the spellings are defined: the enums' wire mapping, the table's constraints and migrations, the store.</summary>
    private static readonly string[] SpellingHomes =
    [
        Store,
        "src/TenantAtlas.Operations/Contracts/OperationRunState.cs",
        "src/TenantAtlas.Operations/Data/OperationsDbContext.cs",
        "src/TenantAtlas.Operations/Data/Migrations/",
    ];

    [Fact]
    public void Only_the_run_store_writes_operation_runs()
    {
        var offenders = Sources()
            .Where(f => f.Path != Store)
            .SelectMany(f => Lines(f, WriteSql()).Concat(f.Path.StartsWith("src/TenantAtlas.Operations/", StringComparison.Ordinal) ? Lines(f, EfWrite()) : []))
            .ToList();

        offenders.Should().BeEmpty("only Runs/RunStore.cs writes operations.operation_runs (add a named transition there instead)");
    }

    [Fact]
    public void Status_and_outcome_spellings_appear_only_where_they_are_defined()
    {
        var offenders = Sources()
            .Where(f => !SpellingHomes.Any(home => f.Path.StartsWith(home, StringComparison.Ordinal)))
            .SelectMany(f => Lines(f, SqlSpelling()).Concat(Lines(f, CodeSpelling())))
            .ToList();

        offenders.Should().BeEmpty("status, outcome and identity rule are enums outside the run store (use OperationRunStatus/OperationRunOutcome/IdentityRule and ToWire())");
    }

    private sealed record SourceFile(string Path, string[] Lines);

    private static IEnumerable<SourceFile> Sources()
    {
        var root = RepositoryRoot();
        return System.IO.Directory.EnumerateFiles(Path.Combine(root, "src"), "*.cs", SearchOption.AllDirectories)
            .Where(p => !p.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                        && !p.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                        && !p.Contains("TenantAtlas.GraphEmulator", StringComparison.Ordinal))
            .Select(p => new SourceFile(Path.GetRelativePath(root, p).Replace('\\', '/'), File.ReadAllLines(p)));
    }

    private static IEnumerable<string> Lines(SourceFile file, Regex pattern) =>
        file.Lines.Select((line, i) => (line, i)).Where(x => pattern.IsMatch(x.line)).Select(x => $"{file.Path}:{x.i + 1}: {x.line.Trim()}");

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "TenantAtlas.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("The repository root (TenantAtlas.sln) was not found above the test's directory.");
    }

    [GeneratedRegex(@"(INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+operations\.operation_runs", RegexOptions.IgnoreCase)]
    private static partial Regex WriteSql();

    [GeneratedRegex(@"Execute(Update|Delete)Async|SaveChangesAsync|\.Runs\.(Add|AddRange|Update|Remove)\(")]
    private static partial Regex EfWrite();

    [GeneratedRegex(@"'(queued|running|completed|pending|succeeded|partially_succeeded|failed|cancelled|dedupe|unique_per_click|strict_schedule)'")]
    private static partial Regex SqlSpelling();

    [GeneratedRegex(@"(==|!=|is|Status\s*=|Outcome\s*=|=>)\s*""(queued|running|completed|pending|partially_succeeded|cancelled)""")]
    private static partial Regex CodeSpelling();
}
