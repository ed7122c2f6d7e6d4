namespace MovaCluster.Model.Planning;

/// <summary>The sizes of one DiT tower (WanModel or WanAudioModel) that decide its parameters and FLOPs.</summary>
public sealed record TowerShape(int Dim, int Layers, int FfnDim, int InChannels, int OutChannels, int TextDim, int FreqDim, int PatchVolume)
{
    /// <summary>One DiT block: self- and cross-attention (q,k,v,o with bias, q/k RMSNorm), norm3, FFN, modulation.</summary>
    public long BlockParameters => (8L * Dim * Dim) + (2L * Dim * FfnDim) + (21L * Dim) + FfnDim;

    /// <summary>Patch, text and time embeddings, time projection and head: the parameters outside the blocks.</summary>
    public long EmbeddingParameters =>
        ((long)Dim * InChannels * PatchVolume) + Dim
        + ((long)Dim * TextDim) + Dim + ((long)Dim * Dim) + Dim
        + ((long)Dim * FreqDim) + Dim + ((long)Dim * Dim) + Dim
        + (6L * Dim * Dim) + (6L * Dim)
        + ((long)OutChannels * PatchVolume * Dim) + ((long)OutChannels * PatchVolume) + (2L * Dim);

    public long TotalParameters => (BlockParameters * Layers) + EmbeddingParameters;
}
