using TorchSharp;

namespace MovaCluster.Model.Nn;

/// <summary>
/// <see cref="ExplicitModule"/> for single-input modules with a typed <c>forward</c>.
/// </summary>
public abstract class ExplicitModule<TInput, TResult>(string name) : torch.nn.Module<TInput, TResult>(name)
{
    protected sealed override void RegisterComponents()
    {
    }
}
