namespace Ripcord.Grains.Tests.Machines;

internal static class EffectExtensions
{
    public static T Is<T>(this Effect effect)
        where T : Effect => Assert.IsType<T>(effect);
}
