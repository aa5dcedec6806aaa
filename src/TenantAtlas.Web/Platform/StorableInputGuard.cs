using System.Buffers;
using System.Text.Json;
using System.Text.Unicode;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.Extensions.Primitives;
using TenantAtlas.BuildingBlocks.Database;

namespace TenantAtlas.Web.Platform;

/// <summary>
/// The one boundary check for text PostgreSQL cannot store (<see cref="StorableText"/>): the address, every query name and
/// value, every form field (form posts) and every JSON string (JSON bodies) of a request. Such input answers 400 naming the
/// value — ProblemDetails under <c>/api</c>, the friendly status page elsewhere — instead of reaching SQL as a 500 from
/// whichever page or endpoint happened to use it. The bad text itself is never echoed.
/// </summary>
internal sealed class StorableInputGuard(RequestDelegate next)
{
    /// <summary>
    /// JSON bodies are read whole to be checked, so they are capped. The runs API takes {type, tenantId, inputs} — a few
    /// hundred bytes; a megabyte leaves room for any inputs a person or script writes.
    /// </summary>
    public const int MaxJsonBytes = 1024 * 1024;

    public async Task InvokeAsync(HttpContext context)
    {
        // A re-executed request (the status or error page for this one) carries the input that was already judged.
        if (context.Features.Get<IStatusCodeReExecuteFeature>() is null && context.Features.Get<IExceptionHandlerFeature>() is null)
        {
            var refusal = CheckAddress(context.Request) ?? await CheckBodyAsync(context);
            if (refusal is not null)
            {
                await RefuseAsync(context, refusal);
                return;
            }
        }

        await next(context);
    }

    private static Refusal? CheckAddress(HttpRequest request)
    {
        if (StorableText.Problem(request.Path.Value) is { } inPath)
        {
            return new Refusal($"The address contains a character that cannot be stored ({inPath}).");
        }

        return CheckPairs(request.Query, "query value", "query parameter name");
    }

    private static Refusal? CheckPairs(IEnumerable<KeyValuePair<string, StringValues>> pairs, string valueKind, string nameKind)
    {
        foreach (var (name, values) in pairs)
        {
            if (StorableText.Problem(name) is { } inName)
            {
                return new Refusal($"A {nameKind} contains a character that cannot be stored ({inName}).");
            }

            foreach (var value in values)
            {
                if (StorableText.Problem(value) is { } inValue)
                {
                    return new Refusal(Printable(name) is { } shown
                        ? $"The {valueKind} '{shown}' contains a character that cannot be stored ({inValue})."
                        : $"A {valueKind} contains a character that cannot be stored ({inValue}).");
                }
            }
        }

        return null;
    }

    private static async Task<Refusal?> CheckBodyAsync(HttpContext context)
    {
        var request = context.Request;
        if (request.HasFormContentType)
        {
            IFormCollection form;
            try
            {
                // Read once here; the form is kept on the request for antiforgery, Blazor and endpoints.
                form = await request.ReadFormAsync(context.RequestAborted);
            }
            catch (InvalidDataException)
            {
                // ASP.NET Core's form reader itself refuses a NUL in a url-encoded form, before any field can be named.
                return new Refusal("The form could not be read: it is malformed, holds a character that cannot be stored (such as NUL), or exceeds the form limits.");
            }

            return CheckPairs(form, "form field", "form field name");
        }

        if (!request.HasJsonContentType())
        {
            return null;
        }

        var body = await ReadCappedAsync(request.Body, context.RequestAborted);
        if (body is null)
        {
            return new Refusal($"The JSON body is larger than {MaxJsonBytes / 1024 / 1024} MiB.", StatusCodes.Status413PayloadTooLarge);
        }

        // The endpoint reads the checked copy.
        request.Body = new MemoryStream(body, writable: false);
        return JsonProblem(body) is { } problem
            ? new Refusal($"The JSON body contains a character that cannot be stored ({problem}).")
            : null;
    }

    /// <summary>
    /// The body, or null when it exceeds <see cref="MaxJsonBytes"/>. A body the server cannot read (broken chunked encoding,
    /// shorter than its Content-Length) throws Kestrel's BadHttpRequestException, which the host's exception handler answers.
    /// </summary>
    private static async Task<byte[]?> ReadCappedAsync(Stream body, CancellationToken cancellationToken)
    {
        using var copy = new MemoryStream();
        var buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            int read;
            while ((read = await body.ReadAsync(buffer, cancellationToken)) > 0)
            {
                if (copy.Length + read > MaxJsonBytes)
                {
                    return null;
                }

                copy.Write(buffer, 0, read);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        return copy.ToArray();
    }

    /// <summary>
    /// What in a JSON document's strings and property names cannot be stored, or null. Escapes count as what they mean:
    /// <c>\u0000</c> is a NUL, <c>\\u0000</c> is six ordinary characters. A document that is not JSON at all is left to the
    /// endpoint, which says so in its own words.
    /// </summary>
    private static string? JsonProblem(ReadOnlySpan<byte> json)
    {
        if (json.Contains((byte)0))
        {
            return "NUL";
        }

        var reader = new Utf8JsonReader(json, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        try
        {
            while (reader.Read())
            {
                if (reader.TokenType is not (JsonTokenType.String or JsonTokenType.PropertyName))
                {
                    continue;
                }

                if (!Utf8.IsValid(reader.ValueSpan))
                {
                    return "invalid UTF-8";
                }

                if (!reader.ValueIsEscaped)
                {
                    continue;
                }

                string text;
                try
                {
                    text = reader.GetString()!;
                }
                catch (InvalidOperationException)
                {
                    // The reader refuses to unescape a lone surrogate.
                    return "an unpaired surrogate";
                }

                if (StorableText.Problem(text) is { } problem)
                {
                    return problem;
                }
            }
        }
        catch (JsonException)
        {
            return null;
        }

        return null;
    }

    private static async Task RefuseAsync(HttpContext context, Refusal refusal)
    {
        if (context.Request.Path.StartsWithSegments("/api"))
        {
            await TypedResults.Problem(refusal.Detail, statusCode: refusal.Status, title: "Malformed input").ExecuteAsync(context);
            return;
        }

        // No body: the status-code pages re-execute /status/400, which reads the detail from this feature. Re-executed as a
        // GET, so the refused form is not posted to the status page (Blazor would treat it as that page's form).
        context.Features.Set(new MalformedInputFeature(refusal.Detail));
        context.Request.Method = HttpMethods.Get;
        context.Response.StatusCode = refusal.Status;
    }

    /// <summary>A name fit to quote back: short, no control characters; otherwise the message does without it.</summary>
    private static string? Printable(string name) =>
        name.Length is > 0 and <= 64 && !name.Any(char.IsControl) ? name : null;

    private sealed record Refusal(string Detail, int Status = StatusCodes.Status400BadRequest);
}

/// <summary>Why the guard refused this request, for the 400 page.</summary>
internal sealed record MalformedInputFeature(string Detail);
