using MovaCluster.Contracts.Jobs;

namespace MovaCluster.Contracts.Queue;

/// <summary>What the queue needs to know about a job to order and place it (not the full request).</summary>
[GenerateSerializer, Immutable, Alias("MovaCluster.JobTicket")]
public sealed record JobTicket
{
    [Id(0)] public required string JobId { get; init; }

    [Id(1)] public required string TenantId { get; init; }

    [Id(2)] public JobPriority Priority { get; init; }

    /// <summary>Model the job needs; workers that hold another model never get it.</summary>
    [Id(3)] public required string Model { get; init; }

    /// <summary>Width x height x frames; a worker takes the job only if its capacity is at least this.</summary>
    [Id(4)] public long Volume { get; init; }

    [Id(5)] public int Steps { get; init; }

    [Id(6)] public DateTimeOffset EnqueuedAt { get; init; }

    /// <summary>"{width}x{height}" of the clip; with <see cref="Model"/> the key of the autoscaling metrics.</summary>
    [Id(7)] public string Resolution { get; init; } = "";

    /// <summary>W3C traceparent of the submission, so the worker's run joins the request's trace.</summary>
    [Id(8)] public string? TraceParent { get; init; }

    /// <summary>
    /// Expected work in uncached-step equivalents (fewer than <see cref="Steps"/> with a cache tier); 0 = unknown, use
    /// <see cref="Steps"/>.
    /// </summary>
    [Id(9)] public double Work { get; init; }

    /// <summary>The work the queue's estimates count: <see cref="Work"/> when known, else <see cref="Steps"/>.</summary>
    public double EstimatedWork => Work > 0 ? Work : Steps;

    /// <summary>Digests of the job's LoRA adapters: the queue prefers a worker that already holds them.</summary>
    [Id(10)] public IReadOnlyList<string> LoraDigests { get; init; } = [];
}
