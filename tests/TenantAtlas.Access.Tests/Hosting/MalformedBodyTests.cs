using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using TenantAtlas.Access.Contracts;
using TenantAtlas.Testing.Hosting;

namespace TenantAtlas.Access.Tests.Hosting;

/// <summary>The app on real Kestrel: only a real server parses chunked encoding and notices a body shorter than announced.</summary>
public sealed class KestrelAppFixture : AppFixture
{
    public IPEndPoint EndPoint { get; private set; } = default!;

    protected override TenantAtlasApp CreateApp(string connectionString)
    {
        var app = new TenantAtlasApp(connectionString);
        app.UseKestrel(options => options.Listen(IPAddress.Loopback, 0));
        app.StartServer();
        var address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        EndPoint = new IPEndPoint(IPAddress.Loopback, address.Port);
        return app;
    }
}

/// <summary>Issue 19, item 6: a body the server cannot read is the client's fault — a 4xx ProblemDetails, never a 500.</summary>
public sealed class MalformedBodyTests(KestrelAppFixture fixture) : IClassFixture<KestrelAppFixture>
{
    private async Task<string> TokenAsync() =>
        (await fixture.App.Services.GetRequiredService<IPersonalAccessTokens>().CreateAsync(fixture.Demo.Owner, "test", 30)).Token;

    /// <summary>Sends raw bytes, optionally closes the sending side, and reads the whole answer until the server closes.</summary>
    private async Task<(int Status, string Head, string Body)> SendRawAsync(string request, bool closeSendingSide)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await socket.ConnectAsync(fixture.EndPoint, timeout.Token);
        await socket.SendAsync(Encoding.ASCII.GetBytes(request), SocketFlags.None, timeout.Token);
        if (closeSendingSide)
        {
            socket.Shutdown(SocketShutdown.Send);
        }

        var received = new MemoryStream();
        var buffer = new byte[8192];
        int read;
        while ((read = await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token)) > 0)
        {
            received.Write(buffer, 0, read);
        }

        var text = Encoding.UTF8.GetString(received.ToArray());
        var split = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        var head = split < 0 ? text : text[..split];
        var status = int.Parse(head.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
        return (status, head, split < 0 ? "" : text[(split + 4)..]);
    }

    private async Task<string> HeadersAsync(string framing) =>
        $"POST /api/operations HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {await TokenAsync()}\r\nContent-Type: application/json\r\n{framing}\r\n";

    [Fact]
    public async Task Invalid_chunked_encoding_answers_a_400_problem()
    {
        var request = await HeadersAsync("Transfer-Encoding: chunked\r\n") + "zz-not-a-size\r\n{}\r\n0\r\n\r\n";

        var (status, head, body) = await SendRawAsync(request, closeSendingSide: false);

        status.Should().Be(400, head + body);
        head.Should().Contain("Content-Type: application/problem+json");
        body.Should().Contain("\"status\":400").And.Contain("could not be read").And.NotContain("Exception");
    }

    /// <remarks>
    /// The client stops sending (but keeps the connection open): Kestrel gives up waiting for the rest after its minimum
    /// data rate's grace period and says 408. A client that closes its sending side instead gets no answer at all —
    /// Kestrel treats the FIN as the connection gone.
    /// </remarks>
    [Fact]
    public async Task Body_shorter_than_its_content_length_answers_a_408_problem_not_a_500()
    {
        var request = await HeadersAsync("Content-Length: 500\r\n") + "{\"type\":\"test.click\"";

        var (status, head, body) = await SendRawAsync(request, closeSendingSide: false);

        status.Should().Be(408, head + body);
        head.Should().Contain("Content-Type: application/problem+json");
        body.Should().Contain("\"status\":408").And.Contain("could not be read").And.NotContain("Exception");
    }
}
