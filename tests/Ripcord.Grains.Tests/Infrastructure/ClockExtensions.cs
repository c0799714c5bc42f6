using Microsoft.Extensions.Time.Testing;

namespace Ripcord.Grains.Tests;

internal static class ClockExtensions
{
    public static void AdvanceSeconds(this FakeTimeProvider clock, double seconds) => clock.Advance(TimeSpan.FromSeconds(seconds));
}
