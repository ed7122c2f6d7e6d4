using TorchSharp;

namespace MovaCluster.Model.Nn;

/// <summary>
/// Base for modules that register children and parameters by explicit checkpoint names. TorchSharp would
/// otherwise also register every Module/Parameter field under its C# field name (e.g. <c>_q</c>) next to the
/// explicit <c>q</c>, which breaks exact state-dict matching.
/// </summary>
public abstract class ExplicitModule(string name) : torch.nn.Module(name)
{
    protected sealed override void RegisterComponents()
    {
    }
}
