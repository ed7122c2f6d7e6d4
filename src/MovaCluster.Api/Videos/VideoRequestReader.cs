using System.Buffers;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using MovaCluster.Api.Configuration;
using MovaCluster.Api.Errors;
using MovaCluster.Api.Loras;

namespace MovaCluster.Api.Videos;

/// <summary>
/// Reads a create request in any of the shapes clients send: multipart (OpenAI SDKs, SGLang's curl examples), a
/// urlencoded form, or JSON (with <c>input_reference.image_url</c> as a data URL and SGLang's <c>extra_body</c>).
/// Size limits answer 413, other content types 415, unreadable bodies 400.
/// </summary>
public sealed class VideoRequestReader(IOptions<GatewayOptions> options)
{
    private GatewayOptions Settings => options.Value;

    public async Task<VideoCreateForm> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.ContentLength > Settings.MaxRequestBytes)
        {
            throw BodyTooLarge();
        }

        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } sizeLimit)
        {
            sizeLimit.MaxRequestBodySize = Settings.MaxRequestBytes;
        }

        if (request.HasJsonContentType())
        {
            return ReadJson(await ReadBodyAsync(request, cancellationToken));
        }

        if (request.HasFormContentType)
        {
            return await ReadFormAsync(request, cancellationToken);
        }

        throw new ApiErrorException(ApiError.UnsupportedMediaType("unsupported_content_type",
            $"Send the request as multipart/form-data or application/json (got '{request.ContentType ?? "no content type"}')."));
    }

    private async Task<byte[]> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        // Sized from Content-Length up to 64 KiB (a claimed size is not trusted with more before the bytes arrive); the
        // chunk comes from the pool, since a create's own garbage is visible at a few hundred creates per second.
        using var buffer = new MemoryStream((int)Math.Min(request.ContentLength ?? 0, 64 * 1024));
        var chunk = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            int read;
            while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
            {
                if (buffer.Length + read > Settings.MaxRequestBytes)
                {
                    throw BodyTooLarge();
                }

                buffer.Write(chunk, 0, read);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }

        return buffer.ToArray();
    }

    private VideoCreateForm ReadJson(byte[] body)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body);
        }
        catch (JsonException failure)
        {
            throw new ApiErrorException(ApiError.BadRequest("invalid_json", $"The request body is not valid JSON: {failure.Message}"));
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new ApiErrorException(ApiError.BadRequest("invalid_json", "The request body must be a JSON object."));
            }

            var form = new VideoCreateForm();
            try
            {
                AddJsonFields(form, document.RootElement, allowExtraBody: true);
            }
            catch (InvalidOperationException failure)
            {
                // JSON strings and names may escape lone UTF-16 surrogates or hold invalid UTF-8: valid JSON, but no text.
                throw new ApiErrorException(ApiError.BadRequest("invalid_json", $"The request body holds a string that is not valid Unicode text: {failure.Message}"));
            }

            return form;
        }
    }

    private void AddJsonFields(VideoCreateForm form, JsonElement body, bool allowExtraBody)
    {
        foreach (var property in body.EnumerateObject())
        {
            var value = property.Value;
            switch (property.Name)
            {
                case "extra_body" when allowExtraBody && value.ValueKind == JsonValueKind.Object:
                    AddJsonFields(form, value, allowExtraBody: false);
                    break;
                case "metadata":
                    form.Metadata = ReadMetadata(value);
                    break;
                case "input_reference":
                    form.InputReference = ReadJsonReference(value);
                    break;
                case LoraSelectionReader.Param:
                    form.Loras = LoraSelectionReader.Read(value);
                    break;
                default:
                    if (Scalar(property.Name, value) is { } text)
                    {
                        form.Values[property.Name] = text;
                        if (value.ValueKind != JsonValueKind.String)
                        {
                            form.NonText.Add(property.Name);
                        }
                        else
                        {
                            form.NonText.Remove(property.Name);
                        }
                    }

                    break;
            }
        }
    }

    private byte[]? ReadJsonReference(JsonElement value)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Null:
                return null;
            case JsonValueKind.String:
                return ReferenceImage.FromDataUrl(value.GetString()!, Settings.MaxImageBytes);
            case JsonValueKind.Object when value.TryGetProperty("image_url", out var url) && url.ValueKind == JsonValueKind.String:
                return ReferenceImage.FromDataUrl(url.GetString()!, Settings.MaxImageBytes);
            case JsonValueKind.Object when value.TryGetProperty("file_id", out _):
                throw new ApiErrorException(ApiError.BadRequest("unsupported_parameter",
                    "input_reference.file_id is not supported: upload the image (multipart) or send image_url as a data URL.", ReferenceImage.Param));
            default:
                throw new ApiErrorException(ApiError.BadRequest("invalid_type",
                    "input_reference must be an object with image_url (a data URL), or an uploaded file.", ReferenceImage.Param));
        }
    }

    private static string? Scalar(string name, JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Null or JsonValueKind.Undefined => null,
        JsonValueKind.String => value.GetString(),
        JsonValueKind.Number => value.GetRawText(),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        _ => throw new ApiErrorException(ApiError.BadRequest("invalid_type", $"'{name}' must be a string or a number.", name)),
    };

    private static Dictionary<string, string>? ReadMetadata(JsonElement value)
    {
        if (value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Object)
        {
            throw new ApiErrorException(ApiError.BadRequest("invalid_type", "metadata must be an object of string values.", "metadata"));
        }

        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var entry in value.EnumerateObject())
        {
            if (entry.Value.ValueKind != JsonValueKind.String)
            {
                throw new ApiErrorException(ApiError.BadRequest("invalid_type", $"metadata.{entry.Name} must be a string.", "metadata"));
            }

            metadata[entry.Name] = entry.Value.GetString()!;
        }

        return metadata;
    }

    private async Task<VideoCreateForm> ReadFormAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        IFormCollection received;
        try
        {
            received = await request.ReadFormAsync(new FormOptions
            {
                MultipartBodyLengthLimit = Settings.MaxRequestBytes,
                ValueLengthLimit = (int)Math.Min(int.MaxValue, Settings.MaxRequestBytes),
            }, cancellationToken);
        }
        catch (InvalidDataException failure) when (failure.Message.Contains("body length limit", StringComparison.OrdinalIgnoreCase)
            || failure.Message.Contains("value length limit", StringComparison.OrdinalIgnoreCase))
        {
            throw BodyTooLarge();
        }
        catch (InvalidDataException failure)
        {
            throw new ApiErrorException(ApiError.BadRequest("invalid_form", $"The multipart body cannot be read: {failure.Message}"));
        }
        catch (IOException failure) when (!cancellationToken.IsCancellationRequested)
        {
            // A body that ends before its closing boundary, or a section without one.
            throw new ApiErrorException(ApiError.BadRequest("invalid_form", $"The form body is truncated or malformed: {failure.Message}"));
        }

        var form = new VideoCreateForm();
        foreach (var (name, values) in received)
        {
            var text = values.ToString();
            switch (name)
            {
                case "metadata":
                    form.Metadata = ParseJsonField(name, text, ReadMetadata);
                    break;
                case "extra_body":
                    ParseJsonField(name, text, body => body.ValueKind == JsonValueKind.Object ? AddJsonFieldsReturning(form, body) : throw new ApiErrorException(
                        ApiError.BadRequest("invalid_type", "extra_body must be a JSON object.", name)));
                    break;
                case "input_reference":
                    form.InputReference = text.Length == 0 ? null : ReferenceImage.FromDataUrl(text, Settings.MaxImageBytes);
                    break;
                case LoraSelectionReader.Param:
                    form.Loras = LoraSelectionReader.Read(text);
                    break;
                default:
                    form.Values[name] = text;
                    break;
            }
        }

        if (received.Files.GetFile(ReferenceImage.Param) is { } file)
        {
            if (file.Length > Settings.MaxImageBytes)
            {
                throw new ApiErrorException(ApiError.TooLarge("image_too_large", $"input_reference is larger than {Settings.MaxImageBytes} bytes.", ReferenceImage.Param));
            }

            using var bytes = new MemoryStream((int)file.Length);
            await file.CopyToAsync(bytes, cancellationToken);
            form.InputReference = ReferenceImage.Check(bytes.ToArray(), Settings.MaxImageBytes);
        }

        return form;
    }

    private bool AddJsonFieldsReturning(VideoCreateForm form, JsonElement body)
    {
        AddJsonFields(form, body, allowExtraBody: false);
        return true;
    }

    private static T ParseJsonField<T>(string name, string text, Func<JsonElement, T> read)
    {
        try
        {
            using var document = JsonDocument.Parse(text);
            return read(document.RootElement);
        }
        catch (JsonException failure)
        {
            throw new ApiErrorException(ApiError.BadRequest("invalid_json", $"Form field '{name}' is not valid JSON: {failure.Message}", name));
        }
        catch (InvalidOperationException failure)
        {
            throw new ApiErrorException(ApiError.BadRequest("invalid_json", $"Form field '{name}' holds a string that is not valid Unicode text: {failure.Message}", name));
        }
    }

    private ApiErrorException BodyTooLarge() =>
        new(ApiError.TooLarge("request_too_large", $"The request body is larger than {Settings.MaxRequestBytes} bytes."));
}
