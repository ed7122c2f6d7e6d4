using YamlDotNet.RepresentationModel;

namespace MovaCluster.Deployment.Tests.Helm;

/// <summary>Navigation over YamlDotNet's node model; keys are given one by one because Kubernetes keys contain dots.</summary>
public static class YamlNodes
{
    /// <summary>The node under the keys, or null when any of them is missing.</summary>
    public static YamlNode? At(this YamlNode node, params string[] keys)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var current = node;
        foreach (var key in keys)
        {
            if (current is not YamlMappingNode mapping || !mapping.Children.TryGetValue(new YamlScalarNode(key), out var next))
            {
                return null;
            }

            current = next;
        }

        return current;
    }

    /// <summary>The node under the keys; a missing one fails with the path that was asked for.</summary>
    public static YamlNode Get(this YamlNode node, params string[] keys) =>
        node.At(keys) ?? throw new KeyNotFoundException($"No '{string.Join('.', keys)}' in:\n{node}");

    /// <summary>The scalar under the keys, or null.</summary>
    public static string? Text(this YamlNode node, params string[] keys) => (node.At(keys) as YamlScalarNode)?.Value;

    public static YamlMappingNode Map(this YamlNode node, params string[] keys) =>
        node.Get(keys) as YamlMappingNode ?? throw new InvalidCastException($"'{string.Join('.', keys)}' is not a mapping.");

    /// <summary>The items of the sequence under the keys; none when it is missing.</summary>
    public static IReadOnlyList<YamlNode> Items(this YamlNode node, params string[] keys) =>
        node.At(keys) is YamlSequenceNode sequence ? [.. sequence.Children] : [];

    /// <summary>Sets (or adds) a scalar, keeping the value a string in the emitted YAML.</summary>
    public static void SetText(this YamlMappingNode node, string key, string value) =>
        node.Children[new YamlScalarNode(key)] = new YamlScalarNode(value) { Style = YamlDotNet.Core.ScalarStyle.DoubleQuoted };

    /// <summary>Sets (or adds) a plain scalar (a number or a boolean in the emitted YAML).</summary>
    public static void SetPlain(this YamlMappingNode node, string key, string value) =>
        node.Children[new YamlScalarNode(key)] = new YamlScalarNode(value);

    public static void Remove(this YamlMappingNode node, string key) => node.Children.Remove(new YamlScalarNode(key));
}
