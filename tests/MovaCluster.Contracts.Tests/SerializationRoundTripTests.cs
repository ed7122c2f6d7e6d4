using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using MovaCluster.Contracts.Jobs;
using MovaCluster.Contracts.Progress;
using Orleans.Serialization;

namespace MovaCluster.Contracts.Tests;

public sealed class SerializationRoundTripTests
{
    private static readonly Serializer OrleansSerializer = new ServiceCollection()
        .AddSerializer(builder => builder.AddAssembly(typeof(JobSnapshot).Assembly))
        .BuildServiceProvider()
        .GetRequiredService<Serializer>();

    public static TheoryData<string> ContractNames() => [.. ContractSamples.All().Select(Describe)];

    [Theory]
    [MemberData(nameof(ContractNames))]
    public void Every_contract_survives_an_Orleans_round_trip_with_all_members(string name)
    {
        var original = ContractSamples.All().Single(sample => Describe(sample) == name);

        var copy = OrleansSerializer.Deserialize<object>(OrleansSerializer.SerializeToArray<object>(original));

        Assert.IsType(original.GetType(), copy);
        Assert.Equal(JsonSerializer.Serialize(original, original.GetType()), JsonSerializer.Serialize(copy, copy.GetType()));
    }

    [Fact]
    public void Progress_events_keep_their_concrete_type_when_sent_as_the_base_type()
    {
        foreach (var item in ContractSamples.Events())
        {
            var copy = OrleansSerializer.Deserialize<JobEvent>(OrleansSerializer.SerializeToArray(item));

            Assert.IsType(item.GetType(), copy);
            Assert.Equal(item.Sequence, copy.Sequence);
        }
    }

    [Fact]
    public void Samples_cover_every_serializable_contract_type()
    {
        var serializable = typeof(JobSnapshot).Assembly.GetTypes()
            .Where(type => type.Namespace?.StartsWith("MovaCluster.Contracts", StringComparison.Ordinal) == true)
            .Where(type => type.IsDefined(typeof(GenerateSerializerAttribute), false) && !type.IsEnum && !type.IsAbstract)
            .Select(type => type.FullName)
            .Order(StringComparer.Ordinal);

        var sampled = ContractSamples.All().Select(sample => sample.GetType().FullName).Distinct().Order(StringComparer.Ordinal);

        Assert.Equal(serializable, sampled);
    }

    private static string Describe(object sample) => sample switch
    {
        SubmitResult { Accepted: true } => "SubmitResult(accepted)",
        SubmitResult => "SubmitResult(rejected)",
        _ => sample.GetType().Name,
    };
}
