using Ripcord.Silo.Live;

namespace Ripcord.Silo.Tests.Live;

public sealed class RecentTests
{
    [Fact]
    public void Adding_past_the_capacity_forgets_the_key_added_first()
    {
        var recent = new Recent<int>(2);
        recent.Set("a", 1);
        recent.Set("b", 2);
        recent.Set("c", 3);

        Assert.False(recent.Contains("a"));
        Assert.True(recent.TryGetValue("b", out var b));
        Assert.Equal(2, b);
        Assert.True(recent.TryGetValue("c", out var c));
        Assert.Equal(3, c);
        Assert.Equal(2, recent.Count);
    }

    [Fact]
    public void Setting_a_held_key_replaces_its_value_and_keeps_its_place()
    {
        var recent = new Recent<int>(2);
        recent.Set("a", 1);
        recent.Set("b", 2);
        recent.Set("a", 10);
        recent.Set("c", 3);

        // "a" was added first: replacing its value did not move it behind "b".
        Assert.False(recent.Contains("a"));
        Assert.True(recent.Contains("b"));
        Assert.True(recent.Contains("c"));
        Assert.Equal(2, recent.Count);
    }

    [Fact]
    public void Keys_are_compared_by_code_point()
    {
        var recent = new Recent<bool>(4);
        recent.Set("case-A", true);

        Assert.True(recent.Contains("case-A"));
        Assert.False(recent.Contains("case-a"));
    }
}
