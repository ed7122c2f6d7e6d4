namespace MovaCluster.Model.Nn;

/// <summary>The activations the MOVA towers use between two linear layers.</summary>
public enum Activation
{
    /// <summary>GELU with the tanh approximation (FFN, text embedding).</summary>
    GeluTanh,

    /// <summary>SiLU (time embedding).</summary>
    Silu,
}
