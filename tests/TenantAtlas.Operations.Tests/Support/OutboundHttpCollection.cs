namespace TenantAtlas.Operations.Tests.Support;

/// <summary>
/// Tests that use <see cref="TenantAtlas.Testing.Hosting.OutboundHttpRecorder"/> run alone: the recorder sees every outbound
/// request of the test process, so another class's request (the recorder's own self-check included) would count against
/// the page under test.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class OutboundHttpCollection
{
    public const string Name = "operations-outbound-http";
}
