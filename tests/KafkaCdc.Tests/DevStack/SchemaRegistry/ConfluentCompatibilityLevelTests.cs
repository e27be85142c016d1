using Confluent.SchemaRegistry;
using KafkaCdc.DevStack.SchemaRegistry;

namespace KafkaCdc.Tests.DevStack.SchemaRegistry;

/// <summary>The dev registry's names for Confluent's levels (no server).</summary>
public class ConfluentCompatibilityLevelTests
{
    [TestCase("NONE", Compatibility.None)]
    [TestCase("backward_transitive", Compatibility.BackwardTransitive)]
    [TestCase("FULL_TRANSITIVE", Compatibility.FullTransitive)]
    [TestCase(" Forward ", Compatibility.Forward)]
    public void TryParse_LevelName_GivesTheLevelAndItsName(string name, Compatibility expected)
    {
        Assert.That(ConfluentCompatibilityLevel.TryParse(name, out var level), Is.True);
        Assert.That(level, Is.EqualTo(expected));
        Assert.That(ConfluentCompatibilityLevel.Name(level), Is.EqualTo(name.Trim().ToUpperInvariant()));
    }

    [TestCase("SIDEWAYS")]
    [TestCase("")]
    [TestCase(null)]
    public void TryParse_Unknown_DoesNotParse(string? name) =>
        Assert.That(ConfluentCompatibilityLevel.TryParse(name, out _), Is.False);

    [Test]
    public void Name_EveryLevel_IsConfluentsEnumMemberValue()
    {
        foreach (var level in Enum.GetValues<Compatibility>())
        {
            var member = typeof(Compatibility).GetField(level.ToString())!
                .GetCustomAttributes(typeof(System.Runtime.Serialization.EnumMemberAttribute), false)
                .Cast<System.Runtime.Serialization.EnumMemberAttribute>().Single();
            Assert.That(ConfluentCompatibilityLevel.Name(level), Is.EqualTo(member.Value));
        }
    }
}
