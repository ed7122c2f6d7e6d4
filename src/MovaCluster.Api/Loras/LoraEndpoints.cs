using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using MovaCluster.Api.Errors;
using MovaCluster.Api.Json;
using MovaCluster.Api.Tenancy;
using MovaCluster.Contracts.Loras;

namespace MovaCluster.Api.Loras;

/// <summary>
/// <c>/v1/loras</c>: register (multipart upload, or JSON naming an <c>s3_key</c> or a silo <c>path</c>), list, get and
/// delete a tenant's adapters; operators act on the shared scope with <c>scope=shared</c>.
/// </summary>
public static class LoraEndpoints
{
    public static RouteGroupBuilder MapLoraEndpoints(this RouteGroupBuilder api)
    {
        ArgumentNullException.ThrowIfNull(api);
        var loras = api.MapGroup("/loras").WithTags("LoRA adapters");
        loras.MapPost("/", RegisterAsync).WithName("RegisterLora").Produces<LoraObject>();
        loras.MapGet("/", async (HttpContext context, LoraService service) =>
            Results.Json(await service.ListAsync(TenantContext.Get(context)), GatewayJson.Options)).WithName("ListLoras").Produces<LoraList>();
        loras.MapGet("/{name}", async (HttpContext context, string name, string? scope, LoraService service) =>
            Results.Json(await service.GetAsync(TenantContext.Get(context), name, scope), GatewayJson.Options)).WithName("RetrieveLora").Produces<LoraObject>();
        loras.MapDelete("/{name}", async (HttpContext context, string name, string? scope, LoraService service) =>
            Results.Json(await service.DeleteAsync(LoraService.ScopeFor(TenantContext.Get(context), scope), name), GatewayJson.Options)).WithName("DeleteLora").Produces<LoraDeleted>();
        return api;
    }

    private static async Task<IResult> RegisterAsync(HttpContext context, LoraService service, IOptions<LoraApiOptions> options)
    {
        var tenant = TenantContext.Get(context);
        var request = context.Request;
        LoraObject registered;
        if (request.HasFormContentType)
        {
            var limit = options.Value.MaxAdapterBytes + (1L << 20);
            if (request.ContentLength > limit)
            {
                throw TooLarge(options.Value.MaxAdapterBytes);
            }

            if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } sizeLimit)
            {
                sizeLimit.MaxRequestBodySize = limit;
            }

            IFormCollection form;
            try
            {
                form = await request.ReadFormAsync(new FormOptions { MultipartBodyLengthLimit = limit }, context.RequestAborted);
            }
            catch (InvalidDataException failure) when (failure.Message.Contains("limit", StringComparison.OrdinalIgnoreCase))
            {
                throw TooLarge(options.Value.MaxAdapterBytes);
            }
            catch (BadHttpRequestException failure) when (failure.StatusCode == StatusCodes.Status413PayloadTooLarge)
            {
                throw TooLarge(options.Value.MaxAdapterBytes);
            }

            var scope = LoraService.ScopeFor(tenant, form["scope"].ToString());
            registered = await service.RegisterUploadAsync(scope, form["name"].ToString(), Alpha(form["alpha"].ToString()), Files(form.Files), context.RequestAborted);
        }
        else if (request.HasJsonContentType())
        {
            var body = await ReadJsonAsync(request, context.RequestAborted);
            var scope = LoraService.ScopeFor(tenant, body.Scope);
            var (kind, source) = (body.S3Key, body.Path) switch
            {
                ({ Length: > 0 } key, null or "") => (LoraSourceKind.ObjectKey, key),
                (null or "", { Length: > 0 } path) => (LoraSourceKind.Path, path),
                _ => throw new ApiErrorException(ApiError.BadRequest("invalid_value",
                    "Name exactly one source: s3_key (an object, or a prefix ending in '/') or path (on the silos); or upload the files as multipart.", "s3_key")),
            };
            registered = await service.RegisterReferenceAsync(tenant, scope, body.Name ?? "", body.Alpha, kind, source);
        }
        else
        {
            throw new ApiErrorException(ApiError.UnsupportedMediaType("unsupported_content_type",
                "Upload the adapter as multipart/form-data, or send application/json with s3_key or path."));
        }

        return Results.Json(registered, GatewayJson.Options, statusCode: StatusCodes.Status201Created);
    }

    /// <summary>The uploaded files under their official names, whatever the client called them.</summary>
    private static List<LoraUploadFile> Files(IFormFileCollection files)
    {
        var named = new List<LoraUploadFile>();
        foreach (var file in files)
        {
            var stored = file.Name switch
            {
                "weights" => LoraObjectKeys.WeightsFile,
                "config" => LoraObjectKeys.ConfigFile,
                _ => Path.GetFileName(file.FileName) switch
                {
                    LoraObjectKeys.WeightsFile => LoraObjectKeys.WeightsFile,
                    LoraObjectKeys.ConfigFile => LoraObjectKeys.ConfigFile,
                    var other when other.EndsWith(".safetensors", StringComparison.OrdinalIgnoreCase) => LoraObjectKeys.SafetensorsFile,
                    var other => throw new ApiErrorException(ApiError.BadRequest("invalid_file",
                        $"'{other}' is not an adapter file: send {LoraObjectKeys.WeightsFile} (with {LoraObjectKeys.ConfigFile}) or one .safetensors file.", file.Name)),
                },
            };
            if (named.Any(existing => existing.StoredName == stored))
            {
                throw new ApiErrorException(ApiError.BadRequest("invalid_file", $"Two files would be the adapter's {stored}.", file.Name));
            }

            named.Add(new LoraUploadFile(stored, file.Length, file.OpenReadStream));
        }

        return named;
    }

    private static double? Alpha(string text)
    {
        if (text.Length == 0)
        {
            return null;
        }

        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var alpha)
            ? alpha
            : throw new ApiErrorException(ApiError.BadRequest("invalid_type", "alpha must be a number.", "alpha"));
    }

    private static async Task<LoraReferenceBody> ReadJsonAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        try
        {
            return await request.ReadFromJsonAsync<LoraReferenceBody>(GatewayJson.Options, cancellationToken)
                ?? throw new ApiErrorException(ApiError.BadRequest("invalid_json", "The body must be a JSON object."));
        }
        catch (JsonException failure)
        {
            throw new ApiErrorException(ApiError.BadRequest("invalid_json", $"The body is not valid JSON: {failure.Message}"));
        }
    }

    private static ApiErrorException TooLarge(long maxBytes) =>
        new(ApiError.TooLarge("adapter_too_large", $"The upload is larger than the adapter limit of {maxBytes} bytes.", "file"));
}
