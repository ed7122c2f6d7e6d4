using MovaCluster.Model.Positional;
using TorchSharp;

namespace MovaCluster.Model.Denoising;

/// <summary>
/// Everything the layers of one model evaluation share: embedded text contexts, time modulations, the towers'
/// complex RoPE tables, the bridge RoPE tables and the bridge condition scales. Disposing releases only the
/// tensors this instance owns (the towers' RoPE tables are cached by the towers themselves).
/// </summary>
public sealed class DualTowerConditioning : IDisposable
{
    private readonly List<IDisposable> _owned;

    public DualTowerConditioning(
        torch.Tensor videoContext,
        torch.Tensor audioContext,
        torch.Tensor videoTMod,
        torch.Tensor audioTMod,
        torch.Tensor videoFreqs,
        torch.Tensor audioFreqs,
        BridgeRopeTables? bridgeRope,
        double audioToVideoScale,
        double videoToAudioScale,
        IEnumerable<IDisposable> owned)
    {
        VideoContext = videoContext;
        AudioContext = audioContext;
        VideoTMod = videoTMod;
        AudioTMod = audioTMod;
        VideoFreqs = videoFreqs;
        AudioFreqs = audioFreqs;
        BridgeRope = bridgeRope;
        AudioToVideoScale = audioToVideoScale;
        VideoToAudioScale = videoToAudioScale;
        _owned = [.. owned];
    }

    public torch.Tensor VideoContext { get; }
    public torch.Tensor AudioContext { get; }
    public torch.Tensor VideoTMod { get; }
    public torch.Tensor AudioTMod { get; }
    public torch.Tensor VideoFreqs { get; }
    public torch.Tensor AudioFreqs { get; }
    public BridgeRopeTables? BridgeRope { get; }
    public double AudioToVideoScale { get; }
    public double VideoToAudioScale { get; }

    /// <summary>A copy on <paramref name="device"/> that owns all its tensors (for a shard on another device).</summary>
    public DualTowerConditioning To(torch.Device device)
    {
        var tensors = new[] { VideoContext, AudioContext, VideoTMod, AudioTMod, VideoFreqs, AudioFreqs }.Select(t => t.to(device)).ToArray();
        var rope = BridgeRope?.To(device);
        var owned = new List<IDisposable>(tensors);
        if (rope is not null)
        {
            owned.Add(rope);
        }

        return new DualTowerConditioning(tensors[0], tensors[1], tensors[2], tensors[3], tensors[4], tensors[5], rope, AudioToVideoScale, VideoToAudioScale, owned);
    }

    public void Dispose()
    {
        foreach (var item in _owned)
        {
            item.Dispose();
        }

        _owned.Clear();
    }
}
