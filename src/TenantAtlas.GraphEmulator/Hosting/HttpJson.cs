using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace TenantAtlas.GraphEmulator.Hosting;

internal static class HttpJson
{
    public static async Task WriteAsync(HttpContext context, int status, JsonNode? body, string contentType = "application/json; charset=utf-8")
    {
        context.Response.StatusCode = status;
        if (body is null)
        {
            return;
        }

        context.Response.ContentType = contentType;
        await using var writer = new Utf8JsonWriter(context.Response.Body, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        body.WriteTo(writer);
        await writer.FlushAsync(context.RequestAborted);
    }

    public static string BaseUrl(HttpRequest request) => $"{request.Scheme}://{request.Host}";
}
