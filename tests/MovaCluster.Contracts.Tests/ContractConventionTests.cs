using System.Reflection;
using MovaCluster.Contracts.Jobs;

namespace MovaCluster.Contracts.Tests;

public sealed class ContractConventionTests
{
    private static readonly Type[] ContractTypes = typeof(JobSnapshot).Assembly.GetTypes()
        .Where(type => type.Namespace?.StartsWith("MovaCluster.Contracts", StringComparison.Ordinal) == true)
        .ToArray();

    [Fact]
    public void Every_serializable_type_and_grain_interface_has_an_alias_and_aliases_are_unique()
    {
        var aliased = ContractTypes
            .Where(type => type.IsDefined(typeof(GenerateSerializerAttribute), false) || typeof(IAddressable).IsAssignableFrom(type))
            .ToList();

        var missing = aliased.Where(type => AliasOf(type) is null).Select(type => type.Name).ToList();
        var duplicates = aliased.Select(type => AliasOf(type)?.Alias)
            .GroupBy(alias => alias).Where(group => group.Count() > 1).Select(group => group.Key).ToList();

        Assert.Empty(missing);
        Assert.Empty(duplicates);
        Assert.All(aliased, type => Assert.StartsWith("MovaCluster.", AliasOf(type)!.Alias, StringComparison.Ordinal));
    }

    private static AliasAttribute? AliasOf(Type type) => (AliasAttribute?)Attribute.GetCustomAttribute(type, typeof(AliasAttribute), inherit: false);

    [Fact]
    public void Member_ids_are_unique_within_each_type_and_records_are_immutable()
    {
        foreach (var type in ContractTypes.Where(type => type.IsDefined(typeof(GenerateSerializerAttribute), false) && !type.IsEnum))
        {
            var ids = type.GetProperties(BindingFlags.Instance | BindingFlags.Public | BindingFlags.DeclaredOnly)
                .Select(property => property.GetCustomAttribute<IdAttribute>()?.Id)
                .Where(id => id is not null)
                .ToList();

            Assert.True(ids.Count == ids.Distinct().Count(), $"{type.Name} repeats a member id");
            Assert.True(type.IsDefined(typeof(ImmutableAttribute), false), $"{type.Name} is not marked [Immutable]");
        }
    }

    [Fact]
    public void Grain_methods_have_aliases_unique_per_interface()
    {
        foreach (var grain in ContractTypes.Where(type => type.IsInterface && typeof(IAddressable).IsAssignableFrom(type)))
        {
            var aliases = grain.GetMethods().Select(method => method.GetCustomAttribute<AliasAttribute>()?.Alias).ToList();

            Assert.DoesNotContain(null, aliases);
            Assert.Equal(aliases.Count, aliases.Distinct().Count());
        }
    }
}
