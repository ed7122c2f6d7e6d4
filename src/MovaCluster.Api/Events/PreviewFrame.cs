using System.Buffers.Binary;
using System.Text;
using MovaCluster.Contracts.Progress;

namespace MovaCluster.Api.Events;

/// <summary>
/// Binary WebSocket frame of a preview, laid out like ComfyUI's PREVIEW_IMAGE_WITH_METADATA:
/// <c>[u32 BE type = 4][u32 BE metadata length][metadata JSON (the event payload)][image bytes]</c>.
/// </summary>
public static class PreviewFrame
{
    public const uint PreviewWithMetadata = 4;

    public static byte[] Encode(JobPreviewEvent preview)
    {
        ArgumentNullException.ThrowIfNull(preview);
        var metadata = Encoding.UTF8.GetBytes(JobEventPayload.Build(preview).ToJsonString());
        var frame = new byte[8 + metadata.Length + preview.Image.Length];
        BinaryPrimitives.WriteUInt32BigEndian(frame, PreviewWithMetadata);
        BinaryPrimitives.WriteUInt32BigEndian(frame.AsSpan(4), (uint)metadata.Length);
        metadata.CopyTo(frame, 8);
        preview.Image.CopyTo(frame, 8 + metadata.Length);
        return frame;
    }
}
