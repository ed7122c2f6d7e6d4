namespace MovaCluster.Model.Execution;

/// <summary>A cheap preview rendered from the latents after a step.</summary>
public sealed record StepPreview(byte[] Image, string ImageContentType, float[]? Audio, int AudioSampleRate);
