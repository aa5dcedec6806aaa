using TenantAtlas.BuildingBlocks.Ui;

namespace TenantAtlas.BuildingBlocks.Tests.Ui;

/// <summary>
/// Issue 19, item 2: in-circuit navigation passes no middleware, so a page's query helper is the boundary there — a text
/// value PostgreSQL cannot store counts as absent and never reaches SQL.
/// </summary>
public sealed class QueryValuesTests
{
    [Theory]
    [InlineData("\0")]
    [InlineData("owner\0@demo.test")]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData(null)]
    public void Text_the_database_cannot_store_counts_as_absent(string? value)
    {
        QueryValues.Text(value).Should().BeNull();
    }

    [Fact]
    public void An_unpaired_surrogate_counts_as_absent()
    {
        // Built here, not in [InlineData]: test discovery would turn a lone surrogate into U+FFFD.
        QueryValues.Text("a" + '\ud800').Should().BeNull();
        QueryValues.Text('\udc00' + "b").Should().BeNull();
        QueryValues.Text("😀" + '\ud83d').Should().BeNull();
    }

    [Theory]
    [InlineData("contoso")]
    [InlineData("été 😀")]
    [InlineData("a\\u0000")]
    public void Storable_text_is_kept_as_given(string value)
    {
        QueryValues.Text(value).Should().Be(value);
    }
}
