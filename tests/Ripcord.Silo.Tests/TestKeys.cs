namespace Ripcord.Silo.Tests;

/// <summary>API keys for each role, and the release and kill hook hosts allowed, configured on every silo the tests start.</summary>
public static class TestKeys
{
    public const string Admin = "test-admin-key";
    public const string Operator = "test-operator-key";
    public const string OtherOperator = "test-operator2-key";
    public const string Viewer = "test-viewer-key";
    public const string Agent = "test-agent-key";

    public static Dictionary<string, string?> Settings(bool readOnly = false)
    {
        var settings = new Dictionary<string, string?>();
        var keys = new (string Key, string Principal, string Role)[]
        {
            (Admin, "root", "admin"),
            (Operator, "alice", "operator"),
            (OtherOperator, "bob", "operator"),
            (Viewer, "victor", "viewer"),
            (Agent, "agent-host", "agent"),
        };
        for (var i = 0; i < keys.Length; i++)
        {
            settings[$"Ripcord:Auth:ApiKeys:{i}:Key"] = keys[i].Key;
            settings[$"Ripcord:Auth:ApiKeys:{i}:Principal"] = keys[i].Principal;
            settings[$"Ripcord:Auth:ApiKeys:{i}:Roles:0"] = keys[i].Role;
        }

        settings["Ripcord:Auth:ReadOnly"] = readOnly ? "true" : "false";

        // The tests' release and kill hook receivers listen on loopback.
        settings["Ripcord:Resources:AllowedReleaseHosts:0"] = "127.0.0.1";
        settings["Ripcord:Agents:AllowedKillHookHosts:0"] = "127.0.0.1";
        return settings;
    }
}
