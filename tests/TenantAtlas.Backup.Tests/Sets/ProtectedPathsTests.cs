using TenantAtlas.Backup.Sets;

namespace TenantAtlas.Backup.Tests.Sets;

/// <summary>A hand-edited protected_values column never fails the item page or the download (fault suite: corrupt backup JSON).</summary>
public sealed class ProtectedPathsTests
{
    [Theory]
    [InlineData("""[{"path":"/omaSettings/0/value","protectedValue":"x"}]""", "/omaSettings/0/value")]
    [InlineData("""[{"path":5},"text",null,[1],{"path":"/a"},{"protectedValue":"x"}]""", "/a")]
    [InlineData("""{"path":"/a"}""", "")]
    [InlineData("\"a string\"", "")]
    [InlineData("42", "")]
    [InlineData("not json at all", "")]
    public void Only_well_formed_entries_give_paths(string stored, string expected)
    {
        string.Join(",", BackupSetQueries.ProtectedPaths(stored)).Should().Be(expected);
    }
}
