using TenantAtlas.Access.Contracts;

namespace TenantAtlas.Access.Tests.Authorization;

/// <summary>Spec 000-foundation, "Capabilities": every role × capability, exactly ARCHITECTURE.md's table.</summary>
public sealed class RoleCapabilitiesTests
{
    // The table from ARCHITECTURE.md, written out independently of the implementation.
    public static TheoryData<WorkspaceRole, string, bool> Table()
    {
        var granted = new Dictionary<string, WorkspaceRole[]>
        {
            ["tenant.view"] = [WorkspaceRole.Owner, WorkspaceRole.Manager, WorkspaceRole.Operator, WorkspaceRole.Readonly],
            ["tenant.manage"] = [WorkspaceRole.Owner, WorkspaceRole.Manager],
            ["tenant.inventory.sync"] = [WorkspaceRole.Owner, WorkspaceRole.Manager, WorkspaceRole.Operator],
            ["tenant.directory.sync"] = [WorkspaceRole.Owner, WorkspaceRole.Manager, WorkspaceRole.Operator],
            ["tenant.backups.manage"] = [WorkspaceRole.Owner, WorkspaceRole.Manager],
            ["tenant.backups.run"] = [WorkspaceRole.Owner, WorkspaceRole.Manager, WorkspaceRole.Operator],
            ["tenant.restore.execute"] = [WorkspaceRole.Owner, WorkspaceRole.Manager],
            ["workspace.members.manage"] = [WorkspaceRole.Owner],
        };
        var data = new TheoryData<WorkspaceRole, string, bool>();
        foreach (var (capability, roles) in granted)
        {
            foreach (var role in Enum.GetValues<WorkspaceRole>())
            {
                data.Add(role, capability, roles.Contains(role));
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Table))]
    public void Role_grants_exactly_the_capabilities_of_the_table(WorkspaceRole role, string capability, bool expected) =>
        role.Grants(Capability.Parse(capability)).Should().Be(expected);

    [Fact]
    public void The_registry_has_exactly_the_eight_capabilities() =>
        Capability.All.Select(c => c.Key).Should().BeEquivalentTo(
            "tenant.view", "tenant.manage", "tenant.inventory.sync", "tenant.directory.sync",
            "tenant.backups.manage", "tenant.backups.run", "tenant.restore.execute", "workspace.members.manage");

    [Fact]
    public void Unknown_capability_keys_are_refused() =>
        FluentActions.Invoking(() => Capability.Parse("tenant.everything")).Should().Throw<ArgumentException>();
}
