using System.Reflection;

namespace MovaCluster.Testing;

/// <summary>The assemblies an assembly references, directly or through others (as loaded from the test's output).</summary>
public static class AssemblyClosure
{
    public static IReadOnlySet<string> NamesOf(Assembly root)
    {
        ArgumentNullException.ThrowIfNull(root);
        var seen = new HashSet<string>(StringComparer.Ordinal) { root.GetName().Name! };
        var pending = new Stack<Assembly>([root]);
        while (pending.TryPop(out var assembly))
        {
            foreach (var reference in assembly.GetReferencedAssemblies())
            {
                if (seen.Add(reference.Name!))
                {
                    pending.Push(Assembly.Load(reference));
                }
            }
        }

        return seen;
    }
}
