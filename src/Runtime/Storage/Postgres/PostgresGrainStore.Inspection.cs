using Npgsql;
using Ripcord.Runtime.Cluster;

namespace Ripcord.Runtime.Storage.Postgres;

public sealed partial class PostgresGrainStore : IClusterInspector
{
    private const char BusSeparator = '\u001e';

    /// <summary>Raised for cluster-bus messages published by other silos: (topic, payload).</summary>
    internal event Action<string, string>? BusMessage;

    public async ValueTask<ClusterView> InspectAsync(string selfSiloId, CancellationToken cancellationToken)
    {
        var silos = new List<SiloView>();
        long depth;
        long deadLetters;
        await using var batch = _dataSource.CreateBatch();
        batch.BatchCommands.Add(new NpgsqlBatchCommand($"""
            SELECT s.silo_id,
                   CASE WHEN s.stopped_at IS NOT NULL THEN 'stopped' WHEN s.expires_at > now() THEN 'active' ELSE 'expired' END,
                   s.heartbeat_at,
                   CASE WHEN s.stopped_at IS NULL AND s.expires_at > now()
                        THEN (SELECT count(*) FROM {_s}.grains g WHERE g.owner = s.silo_id) ELSE 0 END
            FROM {_s}.silos s ORDER BY s.silo_id
            """));
        batch.BatchCommands.Add(new NpgsqlBatchCommand($"SELECT count(*) FROM {_s}.mailbox"));
        batch.BatchCommands.Add(new NpgsqlBatchCommand($"SELECT count(*) FROM {_s}.dead_letters"));
        await using (var reader = await batch.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                var id = reader.GetString(0);
                silos.Add(new SiloView(id, reader.GetString(1), reader.GetFieldValue<DateTimeOffset>(2), (int)reader.GetInt64(3), string.Equals(id, selfSiloId, StringComparison.Ordinal)));
            }

            await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
            await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            depth = reader.GetInt64(0);
            await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
            await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            deadLetters = reader.GetInt64(0);
        }

        return new ClusterView("Postgres", silos, depth, deadLetters);
    }

    /// <summary>Broadcasts a cluster-bus message to the other silos (best effort: one NOTIFY).</summary>
    internal async ValueTask PublishBusAsync(string topic, string payload, CancellationToken cancellationToken)
    {
        if (!_options.NotificationsEnabled)
        {
            return;
        }

        await using var command = _dataSource.CreateCommand("SELECT pg_notify($1, $2)");
        command.Parameters.Add(Sql.Text(_busChannel));
        command.Parameters.Add(Sql.Text(_siloId + BusSeparator + topic + BusSeparator + payload));
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private void OnBusNotification(string payload)
    {
        var first = payload.IndexOf(BusSeparator, StringComparison.Ordinal);
        var second = first < 0 ? -1 : payload.IndexOf(BusSeparator, first + 1);
        if (second < 0)
        {
            LogNotificationMalformed(payload.Length > 200 ? payload[..200] : payload);
            return;
        }

        // The publishing silo delivered to its own subscribers already.
        if (payload.AsSpan(0, first).SequenceEqual(_siloId))
        {
            return;
        }

        BusMessage?.Invoke(payload[(first + 1)..second], payload[(second + 1)..]);
    }
}
