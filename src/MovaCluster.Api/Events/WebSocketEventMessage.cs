using System.Runtime.CompilerServices;
using System.Text;
using MovaCluster.Contracts.Progress;

namespace MovaCluster.Api.Events;

/// <summary>
/// The WebSocket message of a job event: a binary <see cref="PreviewFrame"/> for previews, JSON text otherwise.
/// Each event reaches every local watcher as the same object, so its message is encoded once and shared: with
/// hundreds of watchers per video, encoding per watcher (a preview's metadata holds its audio envelope) was most of
/// the fan-out's CPU.
/// </summary>
public sealed record WebSocketEventMessage(byte[] Bytes, bool Binary)
{
    private static readonly ConditionalWeakTable<JobEvent, WebSocketEventMessage> Encoded = [];

    public static WebSocketEventMessage Of(JobEvent item)
    {
        ArgumentNullException.ThrowIfNull(item);
        return Encoded.GetValue(item, static item => item is JobPreviewEvent preview
            ? new WebSocketEventMessage(PreviewFrame.Encode(preview), Binary: true)
            : new WebSocketEventMessage(Encoding.UTF8.GetBytes(JobEventPayload.Build(item).ToJsonString()), Binary: false));
    }
}
