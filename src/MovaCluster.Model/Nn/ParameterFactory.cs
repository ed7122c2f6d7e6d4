using MovaCluster.Model.Checkpoints;
using TorchSharp;
using TorchSharp.Modules;

namespace MovaCluster.Model.Nn;

/// <summary>
/// Creates uninitialised parameters directly on the target device, in the dtype the policy gives their full
/// checkpoint key, so building a 14 B-parameter tower never allocates a float32 copy or runs a random init.
/// </summary>
public sealed class ParameterFactory
{
    private readonly string _prefix;

    public ParameterFactory(torch.Device device, DTypePolicy policy)
        : this(device, policy, string.Empty)
    {
    }

    private ParameterFactory(torch.Device device, DTypePolicy policy, string prefix)
    {
        ArgumentNullException.ThrowIfNull(device);
        ArgumentNullException.ThrowIfNull(policy);
        Device = device;
        Policy = policy;
        _prefix = prefix;
    }

    /// <summary>Device every parameter is created on.</summary>
    public torch.Device Device { get; }

    /// <summary>Dtype policy applied by full key.</summary>
    public DTypePolicy Policy { get; }

    /// <summary>Factory for a child module registered as <paramref name="name"/>.</summary>
    public ParameterFactory Child(string name) => new(Device, Policy, _prefix + name + ".");

    /// <summary>An uninitialised parameter registered as <paramref name="name"/> under this factory's prefix.</summary>
    public Parameter Create(string name, params long[] shape)
    {
        using var data = torch.empty(shape, Policy.ForKey(_prefix + name), Device);
        return new Parameter(data, requires_grad: false);
    }
}
