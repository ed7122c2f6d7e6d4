namespace MovaCluster.Api.Models;

/// <summary>
/// One model as <c>GET /v1/models</c> lists it: OpenAI's model object (id, object, created, owned_by), the fields
/// SGLang's diffusion server adds (root, num_gpus, task_type, precisions, pipeline), and whether the cluster serves it
/// right now with its limits.
/// </summary>
public sealed record ModelCard
{
    public required string Id { get; init; }

    public string Object { get; init; } = "model";

    /// <summary>Unix seconds; the time this gateway started (models have no creation date of their own here).</summary>
    public long Created { get; init; }

    public string OwnedBy { get; init; } = "movacluster";

    public required string Root { get; init; }

    /// <summary>Live worker devices serving it (one GPU each, or one per plan group's front device).</summary>
    public int NumGpus { get; init; }

    /// <summary>SGLang's task type for MOVA: text and an optional image in, video with audio out.</summary>
    public string TaskType { get; init; } = "TI2V";

    /// <summary>Dtype of the live workers' weights in SGLang's spelling ("bf16", "fp32"); null while none is live.</summary>
    public string? DitPrecision { get; init; }

    /// <summary>Dtype of the video VAE (loaded with the same policy as the transformer).</summary>
    public string? VaePrecision { get; init; }

    public string PipelineName { get; init; } = "MOVA";

    public string PipelineClass { get; init; } = "MOVAPipeline";

    /// <summary>True while at least one live worker serves it; a create for it is refused (or waits) otherwise.</summary>
    public bool Served { get; init; }

    /// <summary>The model for requests that name none.</summary>
    public bool Default { get; init; }

    /// <summary>The model name its workers report (what a video's <c>worker_model</c> will say).</summary>
    public required string WorkerModel { get; init; }

    /// <summary>True when a live worker of it runs random weights: its videos are noise.</summary>
    public bool OutputIsNoise { get; init; }

    public required ModelLimits Limits { get; init; }
}
