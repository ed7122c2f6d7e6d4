using MovaCluster.Model.Denoising;
using TorchSharp;

namespace MovaCluster.Model.Caching;

/// <summary>A cached residual (output − input) of both towers over a layer range; no audio part where the range has no audio block.</summary>
internal sealed class TowerResidual : IDisposable
{
    public TowerResidual(torch.Tensor video, torch.Tensor? audio)
    {
        Video = video.DetachFromDisposeScope();
        Audio = audio?.DetachFromDisposeScope();
    }

    public torch.Tensor Video { get; }

    public torch.Tensor? Audio { get; }

    public static TowerResidual Between(DualTowerActivations input, DualTowerActivations output, bool withAudio) =>
        new(output.Video - input.Video.to(output.Video.device), withAudio ? output.Audio - input.Audio.to(output.Audio.device) : null);

    /// <summary>input + residual (new tensors; the audio stream is aliased when there is no audio part).</summary>
    public DualTowerActivations AddTo(DualTowerActivations input) =>
        new(input.Video + Video.to(input.Video.device), Audio is null ? input.Audio.alias() : input.Audio + Audio.to(input.Audio.device));

    public void Dispose()
    {
        Video.Dispose();
        Audio?.Dispose();
    }
}
