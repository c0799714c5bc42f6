namespace Ripcord.Client;

/// <summary>Where the Ripcord server is and how to authenticate to it.</summary>
public sealed class RipcordClientOptions
{
    /// <summary>The server's base address. Default <c>http://localhost:5000/</c>.</summary>
    public Uri BaseAddress { get; set; } = new("http://localhost:5000/");

    /// <summary>The API key sent as <c>Authorization: Bearer</c> on every call. Default none (calls then get <c>401</c> outside development setups without auth).</summary>
    public string? ApiKey { get; set; }

    /// <summary>
    /// Time limit of one ordinary request. Default 100 seconds. Long polls add their wait to it; event streams are
    /// not limited (stop them with their <see cref="CancellationToken"/>).
    /// </summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(100);
}
