using MovaCluster.Model.Bridge;
using MovaCluster.Model.Dit;
using TorchSharp;

namespace MovaCluster.Model.Denoising;

/// <summary>
/// One layer of the interleaved stack (official <c>forward_dual_tower_dit</c>): the bridge (if layer i interacts),
/// then video block i, then audio block i (absent past the audio depth). Unsharded and sharded runs both go
/// through this function, so chaining shards is bit-identical to the whole stack.
/// </summary>
public static class DualTowerLayer
{
    /// <summary>Runs layer <paramref name="layer"/>, returning new activations (inputs are left to the caller).</summary>
    public static DualTowerActivations Run(
        int layer,
        DiTBlock videoBlock,
        DiTBlock? audioBlock,
        DualTowerConditionalBridge? bridge,
        DualTowerActivations input,
        DualTowerConditioning conditioning)
    {
        ArgumentNullException.ThrowIfNull(videoBlock);
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(conditioning);
        using var scope = torch.NewDisposeScope();
        var video = input.Video;
        var audio = input.Audio;
        if (bridge is not null && audioBlock is not null && bridge.Interacts(layer))
        {
            (video, audio) = bridge.Forward(layer, video, audio, conditioning.BridgeRope, conditioning.AudioToVideoScale, conditioning.VideoToAudioScale);
        }

        video = videoBlock.Forward(video, conditioning.VideoContext, conditioning.VideoTMod, conditioning.VideoFreqs);
        if (audioBlock is not null)
        {
            audio = audioBlock.Forward(audio, conditioning.AudioContext, conditioning.AudioTMod, conditioning.AudioFreqs);
        }
        else
        {
            audio = audio.alias();
        }

        return new DualTowerActivations(video.MoveToOuterDisposeScope(), audio.MoveToOuterDisposeScope());
    }

    /// <summary>
    /// Runs layers [<paramref name="start"/>, <paramref name="end"/>) with one dispose scope per layer so only
    /// one layer's intermediates are alive at a time. The caller keeps ownership of <paramref name="input"/>.
    /// </summary>
    public static DualTowerActivations RunRange(
        int start,
        int end,
        Func<int, DiTBlock> videoBlock,
        Func<int, DiTBlock?> audioBlock,
        DualTowerConditionalBridge? bridge,
        DualTowerActivations input,
        DualTowerConditioning conditioning,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(videoBlock);
        ArgumentNullException.ThrowIfNull(audioBlock);
        ArgumentNullException.ThrowIfNull(input);
        var current = new DualTowerActivations(input.Video.alias(), input.Audio.alias());
        for (var layer = start; layer < end; layer++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var next = Run(layer, videoBlock(layer), audioBlock(layer), bridge, current, conditioning);
            current.Dispose();
            current = next;
        }

        return current;
    }
}
