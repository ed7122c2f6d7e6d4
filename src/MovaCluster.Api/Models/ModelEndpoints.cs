using System.Diagnostics;
using Microsoft.Extensions.Options;
using MovaCluster.Api.Configuration;
using MovaCluster.Api.Errors;
using MovaCluster.Api.Json;

namespace MovaCluster.Api.Models;

/// <summary>
/// <c>GET /v1/models</c> and <c>GET /v1/models/{id}</c> (OpenAI's list and retrieve, with SGLang's diffusion fields and
/// whether each model is served right now), and SGLang's older <c>GET /models</c> (the default model, flat).
/// </summary>
public static class ModelEndpoints
{
    private static readonly long StartedAt = new DateTimeOffset(Process.GetCurrentProcess().StartTime.ToUniversalTime()).ToUnixTimeSeconds();

    public static RouteGroupBuilder MapModelEndpoints(this RouteGroupBuilder api)
    {
        ArgumentNullException.ThrowIfNull(api);
        var models = api.MapGroup("/models").WithTags("Models");
        models.MapGet("/", ListAsync).WithName("ListModels");
        models.MapGet("/{**id}", RetrieveAsync).WithName("RetrieveModel");
        return api;
    }

    /// <summary>SGLang's <c>GET /models</c>: the model a request without one gets, in SGLang's flat shape.</summary>
    public static RouteGroupBuilder MapSglangModelEndpoint(this RouteGroupBuilder root)
    {
        ArgumentNullException.ThrowIfNull(root);
        root.MapGet("/models", DefaultAsync).WithTags("Models").WithName("SglangModelInfo");
        return root;
    }

    private static async Task<IResult> ListAsync(ModelAvailability availability, IOptions<GatewayOptions> options) =>
        Results.Json(new { @object = "list", data = await CardsAsync(availability, options.Value) }, GatewayJson.Options);

    private static async Task<IResult> RetrieveAsync(string id, ModelAvailability availability, IOptions<GatewayOptions> options)
    {
        var card = (await CardsAsync(availability, options.Value)).FirstOrDefault(candidate => candidate.Id == id);
        return card is null
            ? ApiError.NotFound("model_not_found", $"The model '{id}' does not exist; available: {string.Join(", ", options.Value.Models.Keys)}.", "model")
            : Results.Json(card, GatewayJson.Options);
    }

    private static async Task<IResult> DefaultAsync(ModelAvailability availability, IOptions<GatewayOptions> options)
    {
        var cards = await CardsAsync(availability, options.Value);
        var card = cards.FirstOrDefault(candidate => candidate.Default) ?? cards.First();
        return Results.Json(new
        {
            model_path = card.WorkerModel,
            model = card.Id,
            num_gpus = card.NumGpus,
            task_type = card.TaskType,
            dit_precision = card.DitPrecision,
            vae_precision = card.VaePrecision,
            pipeline_name = card.PipelineName,
            pipeline_class = card.PipelineClass,
            served = card.Served,
        }, GatewayJson.Options);
    }

    private static async Task<List<ModelCard>> CardsAsync(ModelAvailability availability, GatewayOptions settings)
    {
        var served = await availability.ListAsync();
        var defaultModel = settings.DefaultModel.Length > 0 ? settings.DefaultModel : served.FirstOrDefault(model => model.Served)?.Name;
        return [.. served.Select(model =>
        {
            var precision = model.Workers.Select(worker => worker.Worker.WeightDType).FirstOrDefault(dtype => dtype is not null) switch
            {
                "bfloat16" => "bf16",
                "float32" => "fp32",
                var other => other,
            };
            var profile = model.Profile;
            return new ModelCard
            {
                Id = model.Name,
                Root = model.Name,
                Created = StartedAt,
                NumGpus = model.Workers.Count,
                DitPrecision = precision,
                VaePrecision = precision,
                Served = model.Served,
                Default = model.Name == defaultModel,
                WorkerModel = profile.WorkerModel,
                OutputIsNoise = model.OutputIsNoise,
                Limits = new ModelLimits
                {
                    DefaultSize = $"{profile.DefaultWidth}x{profile.DefaultHeight}",
                    MaxLongSide = profile.MaxLongSide,
                    MaxShortSide = profile.MaxShortSide,
                    MaxFrames = profile.MaxFrames,
                    DefaultFps = profile.DefaultFps,
                    DefaultSeconds = profile.DefaultSeconds,
                    DefaultSteps = profile.DefaultSteps,
                    MaxSteps = profile.MaxSteps,
                    DefaultGuidanceScale = profile.DefaultGuidanceScale,
                    MaxWorkerVolume = model.MaxVolume,
                },
            };
        })];
    }
}
