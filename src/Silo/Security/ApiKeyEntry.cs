namespace Ripcord.Silo.Security;

/// <summary>One configured API key: the secret, the principal it authenticates and the principal's roles.</summary>
public sealed class ApiKeyEntry
{
    public string Key { get; set; } = "";

    public string Principal { get; set; } = "";

    public List<string> Roles { get; set; } = [];
}
