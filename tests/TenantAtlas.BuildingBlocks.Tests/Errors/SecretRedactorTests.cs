using TenantAtlas.BuildingBlocks.Errors;

namespace TenantAtlas.BuildingBlocks.Tests.Errors;

/// <summary>Spec 001-operation-runs, "Failures": nothing that looks like a credential reaches the database or a screen.</summary>
public sealed class SecretRedactorTests
{
    [Theory]
    [InlineData("Authorization: Bearer abc.DEF-123_x~y+z/w==", "Bearer abc")]
    [InlineData("token eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.sig-part_here", "eyJhbGciOiJSUzI1NiJ9")]
    [InlineData("POST /token client_secret=s3cr3t~value&grant_type=client_credentials", "s3cr3t")]
    [InlineData("GET /deviceManagement/deviceConfigurations?$skiptoken=RFNwdAoAAQAAAAA", "RFNwdAoAAQAAAAA")]
    [InlineData("{\"client_secret\": \"s3cr3t\", \"id\": 1}", "s3cr3t")]
    [InlineData("Host=db;Username=app;Password=hunter2;Database=x", "hunter2")]
    public void Credentials_are_removed(string text, string secret)
    {
        var redacted = SecretRedactor.Redact(text);

        redacted.Should().NotContain(secret).And.Contain("[redacted");
    }

    [Fact]
    public void Ordinary_text_stays_as_it_is_and_long_text_is_capped_with_an_ellipsis()
    {
        const string text = "The tokenizer failed on policy 'Password rules' (id 42).";

        SecretRedactor.Redact(text).Should().Be(text);
        SecretRedactor.Cap(new string('x', 20), 10).Should().Be(new string('x', 9) + "…");
        SecretRedactor.Cap("short", 10).Should().Be("short");
    }
}
