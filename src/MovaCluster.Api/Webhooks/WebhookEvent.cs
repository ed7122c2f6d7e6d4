using MovaCluster.Api.Videos;

namespace MovaCluster.Api.Webhooks;

/// <summary>The webhook body: <c>{"id","object":"event","type":"video.completed","created_at","data":{video}}</c>.</summary>
public sealed record WebhookEvent(string Id, string Type, long CreatedAt, VideoObject Data)
{
    public string Object { get; init; } = "event";
}
