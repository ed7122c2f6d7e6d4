using System.Text.Json.Nodes;
using MovaCluster.Contracts.Jobs;
using MovaCluster.Contracts.Progress;
using MovaCluster.Api.Videos;

namespace MovaCluster.Api.Events;

/// <summary>
/// The JSON form of a progress event: <c>{"type":"video.progress","sequence":7,"video_id":...,"created_at":ms,...}</c>.
/// Preview images are not in the JSON; the transports send them as binary frames or base64.
/// </summary>
public static class JobEventPayload
{
    public static JsonObject Build(JobEvent item)
    {
        ArgumentNullException.ThrowIfNull(item);
        var json = new JsonObject
        {
            ["type"] = TypeOf(item),
            ["sequence"] = item.Sequence,
            ["video_id"] = item.JobId,
            ["created_at"] = item.Timestamp.ToUnixTimeMilliseconds(),
        };
        switch (item)
        {
            case JobQueuedEvent queued:
                json["queue_position"] = queued.Position;
                json["eta_seconds"] = queued.EstimatedWait is { } wait ? Math.Round(wait.TotalSeconds, 1) : null;
                json["reason"] = queued.Reason;
                break;
            case JobStartedEvent started:
                json["attempt"] = started.Attempt;
                json["resumed_from_step"] = started.ResumedFromStep;
                break;
            case JobPhaseEvent phase:
                json["phase"] = VideoObjectMapper.Phase(phase.Phase);
                break;
            case JobStepEvent step:
                json["step"] = step.Step;
                json["total_steps"] = step.TotalSteps;
                json["progress"] = step.TotalSteps > 0 ? Math.Clamp(step.Step * 100 / step.TotalSteps, 0, 99) : 0;
                json["expert"] = step.Phase == JobPhase.DenoisingHighNoise ? "high_noise" : "low_noise";
                json["ms_per_step"] = Math.Round(step.MillisecondsPerStep, 2);
                json["eta_seconds"] = Math.Round(step.EstimatedRemaining.TotalSeconds, 1);
                break;
            case JobPreviewEvent preview:
                json["step"] = preview.Step;
                json["content_type"] = preview.ImageContentType;
                json["bytes"] = preview.Image.Length;
                json["audio_envelope"] = preview.AudioEnvelope is { } levels ? new JsonArray([.. levels.Select(l => (JsonNode?)JsonValue.Create(MathF.Round(l, 4)))]) : null;
                json["audio_envelope_fps"] = preview.AudioEnvelope is null ? null : preview.AudioEnvelopeFramesPerSecond;
                break;
            case JobCompletedEvent completed:
                json["content_type"] = completed.Clip.ContentType;
                json["size_bytes"] = completed.Clip.SizeBytes;
                json["sha256"] = completed.Clip.Sha256;
                break;
            case JobFailedEvent failed:
                json["error"] = new JsonObject { ["code"] = failed.Code ?? "generation_failed", ["message"] = failed.Error };
                break;
            case JobCancelledEvent cancelled:
                json["completed_steps"] = cancelled.CompletedSteps;
                break;
        }

        return json;
    }

    public static string TypeOf(JobEvent item) => item switch
    {
        JobQueuedEvent => "video.queued",
        JobStartedEvent => "video.started",
        JobPhaseEvent => "video.phase",
        JobStepEvent => "video.progress",
        JobPreviewEvent => "video.preview",
        JobCompletedEvent => "video.completed",
        JobFailedEvent => "video.failed",
        JobCancelledEvent => "video.cancelled",
        _ => "video.event",
    };
}
