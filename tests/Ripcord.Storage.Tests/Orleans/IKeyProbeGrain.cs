namespace Ripcord.Storage.Tests.Orleans;

/// <summary>Writes and reads back one value under its own key: the key collision probe.</summary>
[Alias("ripcord.tests.key-probe")]
public interface IKeyProbeGrain : IGrainWithStringKey
{
    [Alias("set")]
    Task SetAsync(string value);

    [Alias("get")]
    Task<string?> GetAsync();
}
