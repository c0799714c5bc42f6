namespace Ripcord.Storage.Tests.Orleans;

/// <summary>A grain with persistent state on the Ripcord storage and a reminder, to exercise the providers on the schema.</summary>
[Alias("ripcord.tests.storage-probe")]
public interface IStorageProbeGrain : IGrainWithStringKey
{
    /// <summary>Writes <paramref name="value"/> and returns the new ETag.</summary>
    [Alias("set")]
    Task<string?> SetAsync(string value);

    /// <summary>The value as the activation holds it.</summary>
    [Alias("get")]
    Task<string?> GetAsync();

    [Alias("etag")]
    Task<string?> ETagAsync();

    [Alias("clear")]
    Task ClearAsync();

    [Alias("remind")]
    Task RemindAsync(string name, TimeSpan due, TimeSpan period);

    [Alias("forget")]
    Task ForgetAsync(string name);

    [Alias("ticks")]
    Task<int> TicksAsync();
}
