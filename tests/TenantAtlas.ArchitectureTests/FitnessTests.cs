using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using TenantAtlas.BuildingBlocks.Modules;

namespace TenantAtlas.ArchitectureTests;

/// <summary>
/// Rules the compiler does not see: which projects a module may reference, that nothing ships the Graph emulator, that a
/// module's SQL names only its own schema, and that every page is behind sign-in unless it is listed here as anonymous.
/// </summary>
public sealed class FitnessTests
{
    /// <summary>Pages anyone may open: signing in, and the pages that answer errors (they reveal nothing).</summary>
    private static readonly HashSet<string> AnonymousPages =
    [
        "TenantAtlas.Access.Account.Pages.Login",
        "TenantAtlas.Access.Account.Pages.AcceptInvitation",
        "TenantAtlas.Access.Account.Pages.Lockout",
        "TenantAtlas.Web.Components.Pages.Home", // only sends the browser on to /admin
        "TenantAtlas.Web.Components.Pages.Error",
        "TenantAtlas.Web.Components.Pages.ForbiddenPage",
        "TenantAtlas.Web.Components.Pages.NotFound",
        "TenantAtlas.Web.Components.Pages.StatusPage",
    ];

    public static TheoryData<string> ModuleNames() => [.. ModuleCatalogue.Entries.Select(e => e.Name)];

    [Theory]
    [MemberData(nameof(ModuleNames))]
    public void A_module_references_only_building_blocks_and_core_modules_listed_before_it(string name)
    {
        var entries = ModuleCatalogue.Entries.ToList();
        var index = entries.FindIndex(e => e.Name == name);

        string? Problem(string reference)
        {
            var i = entries.FindIndex(e => e.Name == reference);
            if (reference == "BuildingBlocks")
            {
                return null;
            }

            if (i < 0)
            {
                return $"{name} references {reference}, which is not a module";
            }

            if (entries[i].Kind == ModuleKind.Feature)
            {
                return $"{name} references the feature module {reference}: no module references a feature module (make {reference} core in src/modules.txt if that is intended)";
            }

            return i > index ? $"{name} references {reference}, which src/modules.txt lists after it (list the modules a module uses before it)" : null;
        }

        var wrong = SourceProjects.References(name).Select(Problem).OfType<string>().ToList();

        wrong.Should().BeEmpty();
    }

    [Fact]
    public void Nothing_in_src_references_the_graph_emulator()
    {
        var byProject = SourceProjects.Names().Where(n => n != "GraphEmulator")
            .Where(n => SourceProjects.References(n).Contains("GraphEmulator"))
            .Select(n => $"src/TenantAtlas.{n} references the emulator's project");
        var byAssembly = Modules.AllProductAssemblies
            .Where(a => a.GetReferencedAssemblies().Any(r => r.Name == "TenantAtlas.GraphEmulator"))
            .Select(a => $"{a.GetName().Name} references TenantAtlas.GraphEmulator");

        byProject.Concat(byAssembly).Should().BeEmpty("the emulator is for tests and the demo; the product never ships it");
    }

    [Theory]
    [MemberData(nameof(ModuleNames))]
    public void A_modules_sql_names_only_its_own_schema(string name)
    {
        var tables = Tables();
        var own = tables.Where(t => t.Owner == name).Select(t => t.Schema).Distinct().ToList();
        own.Should().ContainSingle($"{name} owns exactly one schema");
        var foreign = tables.Where(t => t.Schema != own[0]).Select(t => (t.Schema, t.Table)).ToHashSet();
        var reference = new Regex("""(?<![\w.])(?:\\?")?([a-z_]+)(?:\\?")?\.(?:\\?")?([a-z_][a-z0-9_]*)\b""");

        var found = SourceFiles(name)
            .SelectMany(file => File.ReadLines(file).Select((line, i) => (file, line, number: i + 1)))
            .SelectMany(x => reference.Matches(x.line)
                .Where(m => foreign.Contains((m.Groups[1].Value, m.Groups[2].Value)))
                .Select(m => $"{Path.GetRelativePath(Modules.RepoRoot, x.file)}:{x.number} names {m.Groups[1].Value}.{m.Groups[2].Value}"))
            .ToList();

        found.Should().BeEmpty($"{name}'s SQL names only its schema {own[0]}; other modules' data comes through their Contracts");
    }

    [Fact]
    public void Every_page_requires_sign_in_or_is_listed_as_anonymous()
    {
        var pages = Modules.All.Append(typeof(Program).Assembly)
            .SelectMany(a => a.GetTypes())
            .Where(t => typeof(IComponent).IsAssignableFrom(t) && t.GetCustomAttributes<RouteAttribute>().Any())
            .ToList();
        bool Authorized(Type page) =>
            page.GetCustomAttributes(inherit: true).OfType<IAuthorizeData>().Any() && !page.GetCustomAttributes(inherit: true).OfType<IAllowAnonymous>().Any();

        pages.Where(p => !Authorized(p) && !AnonymousPages.Contains(p.FullName!))
            .Select(p => $"{p.FullName} ({string.Join(", ", p.GetCustomAttributes<RouteAttribute>().Select(r => r.Template))})")
            .Should().BeEmpty("every page has @attribute [Authorize] (or a base class with it), unless listed in AnonymousPages");
        AnonymousPages.Where(n => pages.All(p => p.FullName != n) || Authorized(pages.Single(p => p.FullName == n)))
            .Should().BeEmpty("AnonymousPages lists only pages that exist and are anonymous");
    }

    /// <summary>Every table of every module (and of the host), with its schema, from each DbContext's design-time model.</summary>
    private static List<(string Owner, string Schema, string Table)> Tables() =>
    [
        .. Modules.All.Append(typeof(Program).Assembly)
            .SelectMany(a => a.GetTypes().Where(t => !t.IsAbstract && t.GetInterfaces().Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IDesignTimeDbContextFactory<>))))
            .SelectMany(factory =>
            {
                var owner = factory.Assembly.GetName().Name!["TenantAtlas.".Length..];
                var create = factory.GetInterfaces().Single(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IDesignTimeDbContextFactory<>)).GetMethod("CreateDbContext")!;
                using var context = (DbContext)create.Invoke(Activator.CreateInstance(factory, nonPublic: true), [Array.Empty<string>()])!;
                return context.Model.GetEntityTypes()
                    .Where(e => e.GetTableName() is not null)
                    .Select(e => (owner, e.GetSchema() ?? context.Model.GetDefaultSchema() ?? "public", e.GetTableName()!))
                    .ToList();
            }),
    ];

    private static IEnumerable<string> SourceFiles(string module) =>
        System.IO.Directory.EnumerateFiles(Path.Combine(Modules.RepoRoot, "src", $"TenantAtlas.{module}"), "*.*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".cs", StringComparison.Ordinal) || f.EndsWith(".razor", StringComparison.Ordinal))
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                        && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                        && !f.Contains($"{Path.DirectorySeparatorChar}Migrations{Path.DirectorySeparatorChar}", StringComparison.Ordinal));
}
