using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json.Nodes;
using MovaCluster.Contracts.Progress;

namespace MovaCluster.Api.Events;

/// <summary>
/// The Server-Sent Events text of a job event (<c>id</c>, <c>event</c>, one <c>data</c> line; previews carry
/// <c>image_base64</c>), encoded once per event and shared by every watcher, as <see cref="WebSocketEventMessage"/>.
/// </summary>
public static class ServerSentEventMessage
{
    private static readonly ConditionalWeakTable<JobEvent, byte[]> Encoded = [];

    public static byte[] Of(JobEvent item)
    {
        ArgumentNullException.ThrowIfNull(item);
        return Encoded.GetValue(item, static item =>
        {
            var payload = JobEventPayload.Build(item);
            if (item is JobPreviewEvent preview)
            {
                payload["image_base64"] = Convert.ToBase64String(preview.Image);
            }

            // Unnumbered events (queue positions) carry no id: the client's resume point stays its last numbered event.
            return Format(item.Sequence > 0 ? item.Sequence : null, JobEventPayload.TypeOf(item), payload);
        });
    }

    /// <summary>One event: <c>id: {id}\nevent: {type}\ndata: {json}\n\n</c> (no id line when <paramref name="id"/> is null).</summary>
    public static byte[] Format(long? id, string type, JsonObject payload)
    {
        ArgumentNullException.ThrowIfNull(payload);
        var text = new StringBuilder();
        if (id is { } sequence)
        {
            text.Append("id: ").Append(sequence.ToString(CultureInfo.InvariantCulture)).Append('\n');
        }

        text.Append("event: ").Append(type).Append('\n');
        text.Append("data: ").Append(payload.ToJsonString()).Append("\n\n");
        return Encoding.UTF8.GetBytes(text.ToString());
    }
}
