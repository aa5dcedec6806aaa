using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;

namespace TenantAtlas.GraphEmulator.Tests.Support;

public static class HttpExtensions
{
    public static async Task<JsonObject> ReadJsonAsync(this HttpResponseMessage response) =>
        (JsonObject)JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

    public static async Task<JsonObject> GetJsonAsync(this HttpClient client, string url)
    {
        using var response = await client.GetAsync(url);
        var body = await response.Content.ReadAsStringAsync();
        response.IsSuccessStatusCode.Should().BeTrue($"GET {url} answered {(int)response.StatusCode}: {body}");
        return (JsonObject)JsonNode.Parse(body)!;
    }

    public static Task<HttpResponseMessage> SendJsonAsync(this HttpClient client, HttpMethod method, string url, JsonNode body) =>
        client.SendAsync(new HttpRequestMessage(method, url) { Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json") });

    public static Task<HttpResponseMessage> PostJsonAsync(this HttpClient client, string url, object body) => client.PostAsJsonAsync(url, body);

    public static string Str(this JsonNode? node) => node!.GetValue<string>();

    public static JsonArray Values(this JsonObject page) => page["value"]!.AsArray();
}
