using TenantAtlas.Graph.Errors;

namespace TenantAtlas.Graph.Tests.Errors;

/// <summary>Issue 19, item 4: a failure code is the product's (or Graph's) vocabulary, never a .NET exception type name.</summary>
public sealed class GraphErrorMapperTests
{
    [Fact]
    public void An_unexpected_exception_maps_to_a_product_code_not_its_type_name()
    {
        var mapped = GraphErrorMapper.Map(new InvalidOperationException("boom"), null, null);

        mapped.ErrorCode.Should().Be("unexpectedError").And.NotContain("Exception");
        mapped.Message.Should().Contain("boom");
    }
}
