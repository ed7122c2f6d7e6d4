using MovaCluster.Model.Denoising;

namespace MovaCluster.Model.Caching;

/// <summary>Runs layers [start, end) of a prepared pass on <paramref name="input"/> (new activations; the caller keeps the input).</summary>
public delegate DualTowerActivations LayerRunner(PreparedStep prepared, DualTowerActivations input, int start, int end);
