using Confluent.SchemaRegistry;

namespace KafkaCdc.Tests.DevStack.SchemaRegistry;

/// <summary>
/// The global compatibility level: BACKWARD at start, and settable. Dev-only: changing it on a shared registry would
/// change what other tests and users see, so it runs on a registry of its own; skipped with <c>SCHEMA_REGISTRY_URL</c> set.
/// </summary>
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
