using Avro;
using Avro.Generic;
using KafkaCdc.Shared.AvroFormat;
using KafkaCdc.Shared.SchemaRegistry;

namespace KafkaCdc.Tests.Shared.SchemaRegistry;

/// <summary>Changes the registry's global compatibility level, which other tests rely on: uses a registry of its own.</summary>
public class SchemaRegistryGlobalConfigTests : SchemaRegistryFixture
{
    protected override bool NeedsInProcessServer => true;

    [Test]
    public async Task GlobalLevel_DefaultsToBackward_AndCanBeSet()
    {
        using var client = CreateClient();

        var initial = await client.GetCompatibilityLevelAsync(CancellationToken.None);
        await client.SetCompatibilityLevelAsync(CompatibilityLevel.Forward, CancellationToken.None);
        var changed = await client.GetCompatibilityLevelAsync(CancellationToken.None);
        await client.SetCompatibilityLevelAsync(CompatibilityLevel.Backward, CancellationToken.None);

        Assert.That(initial, Is.EqualTo(CompatibilityLevel.Backward));
        Assert.That(changed, Is.EqualTo(CompatibilityLevel.Forward));
    }
}
