using System.Net;
using System.Net.Sockets;
using Ripcord.Testing.Postgres;

namespace Ripcord.Silo.Tests.Postgres;

/// <summary>
/// The settings of one silo of a test cluster on the private PostgreSQL, as an operator would set them: the store
/// and its schema, the cluster's shared ids, this silo's name and its own free ports, and a short recovery period
/// so the grains of a killed silo come back within seconds.
/// </summary>
public static class PostgresSilos
{
    public static Dictionary<string, string?> Settings(PostgresFixture fixture, string schema, string clusterId, string siloName)
    {
        ArgumentNullException.ThrowIfNull(fixture);
        var (siloPort, gatewayPort) = FreePorts();
        var settings = TestKeys.Settings();
        settings["Ripcord:Store:Kind"] = "Postgres";
        settings["Ripcord:Store:Postgres:ConnectionString"] = fixture.ConnectionString;
        settings["Ripcord:Store:Postgres:SchemaName"] = schema;
        settings["Ripcord:Cluster:ClusterId"] = clusterId;
        settings["Ripcord:Cluster:ServiceId"] = clusterId;
        settings["Ripcord:Cluster:SiloName"] = siloName;
        settings["Ripcord:Cluster:SiloPort"] = siloPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
        settings["Ripcord:Cluster:GatewayPort"] = gatewayPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
        settings["Ripcord:Durability:RecoveryPeriod"] = "00:00:02";
        return settings;
    }

    /// <summary>Two distinct free loopback ports (both held while the second is picked, so they differ).</summary>
    private static (int Silo, int Gateway) FreePorts()
    {
        using var first = new TcpListener(IPAddress.Loopback, 0);
        using var second = new TcpListener(IPAddress.Loopback, 0);
        first.Start();
        second.Start();
        return (((IPEndPoint)first.LocalEndpoint).Port, ((IPEndPoint)second.LocalEndpoint).Port);
    }
}
