using Confluent.SchemaRegistry;

namespace KafkaCdc.Tests.DevStack.SchemaRegistry;

/// <summary>Changes the registry's global compatibility level, which other tests rely on: uses a registry of its own.</summary>
public class RegistryGlobalConfigConformanceTests : SchemaRegistryFixture
{
    protected override bool NeedsInProcessServer => true;

    [Test]
    public async Task GlobalLevel_DefaultsToBackward_AndCanBeSet()
    {
        var client = CreateClient();

        var initial = await client.GetCompatibilityAsync();
        await client.UpdateCompatibilityAsync(Compatibility.Forward);
        var changed = await client.GetCompatibilityAsync();
        await client.UpdateCompatibilityAsync(Compatibility.Backward);

        Assert.That(initial, Is.EqualTo(Compatibility.Backward));
        Assert.That(changed, Is.EqualTo(Compatibility.Forward));
    }
}
