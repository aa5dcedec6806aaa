using System.Xml.Linq;
using TenantAtlas.BuildingBlocks.Modules;

namespace TenantAtlas.ArchitectureTests;

/// <summary>
/// The module catalogue (src/modules.txt) is the one list of modules: the host composes it, these tests use it and
/// scripts/test.sh checks its migrations. These tests keep it equal to the projects under src/.
/// </summary>
public sealed class ModuleCatalogueTests
{
    /// <summary>The src/ projects that are not modules, and why.</summary>
    private static readonly Dictionary<string, string> NotModules = new()
    {
        ["Web"] = "the host: composes the modules",
        ["BuildingBlocks"] = "module-agnostic helpers every module may use",
        ["GraphEmulator"] = "a stand-in for Microsoft Graph, for tests and the demo; never part of the product",
    };

    [Fact]
    public void Every_src_project_is_in_the_catalogue_or_a_named_non_module()
    {
        var missing = SourceProjects.Names()
            .Where(name => !NotModules.ContainsKey(name) && ModuleCatalogue.Entries.All(e => e.Name != name))
            .Select(name => $"src/TenantAtlas.{name} is not in src/modules.txt (add it there, or to NotModules here with the reason)")
            .ToList();

        missing.Should().BeEmpty();
    }

    [Fact]
    public void Every_catalogued_module_is_a_project_the_host_references_with_one_module_entry()
    {
        var hostReferences = SourceProjects.References("Web");
        var problems = new List<string>();
        foreach (var entry in ModuleCatalogue.Entries)
        {
            if (!SourceProjects.Names().Contains(entry.Name))
            {
                problems.Add($"{entry.Name} is in src/modules.txt but src/TenantAtlas.{entry.Name}/TenantAtlas.{entry.Name}.csproj does not exist");
            }
            else if (!hostReferences.Contains(entry.Name))
            {
                problems.Add($"{entry.Name} is in src/modules.txt but TenantAtlas.Web does not reference its project");
            }
        }

        problems.Should().BeEmpty();
        ModuleCatalogue.Modules.Select(m => m.Module.GetType().Assembly.GetName().Name)
            .Should().Equal(ModuleCatalogue.Entries.Select(e => e.AssemblyName), "each module's assembly has exactly one IModule");
        SourceProjects.References("Web").Where(r => !NotModules.ContainsKey(r))
            .Should().BeEquivalentTo(ModuleCatalogue.Entries.Select(e => e.Name), "the host references every module and nothing else but BuildingBlocks");
    }

    [Fact]
    public void The_migration_check_in_test_sh_reads_the_catalogue_and_names_no_module_itself()
    {
        var script = File.ReadAllText(Path.Combine(Modules.RepoRoot, "scripts", "test.sh"));

        script.Should().Contain("src/modules.txt");
        ModuleCatalogue.Entries.Where(e => script.Contains($"src/TenantAtlas.{e.Name}", StringComparison.Ordinal))
            .Select(e => e.Name).Should().BeEmpty("scripts/test.sh takes its module list from src/modules.txt");
    }
}

/// <summary>The projects under src/ and their project references, read from the .csproj files.</summary>
internal static class SourceProjects
{
    public static IReadOnlyList<string> Names() =>
    [
        .. System.IO.Directory.GetDirectories(Path.Combine(Modules.RepoRoot, "src"), "TenantAtlas.*")
            .Select(Path.GetFileName)
            .Where(dir => File.Exists(Path.Combine(Modules.RepoRoot, "src", dir!, dir + ".csproj")))
            .Select(dir => dir!["TenantAtlas.".Length..]),
    ];

    /// <summary>The TenantAtlas projects <paramref name="name"/> references, by short name (Access, BuildingBlocks, …).</summary>
    public static IReadOnlyList<string> References(string name)
    {
        var project = XDocument.Load(Path.Combine(Modules.RepoRoot, "src", $"TenantAtlas.{name}", $"TenantAtlas.{name}.csproj"));
        return
        [
            .. project.Descendants("ProjectReference")
                .Select(r => Path.GetFileNameWithoutExtension(r.Attribute("Include")!.Value.Replace('\\', '/')))
                .Where(n => n.StartsWith("TenantAtlas.", StringComparison.Ordinal))
                .Select(n => n["TenantAtlas.".Length..]),
        ];
    }
}
