using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;

namespace Ripcord.Grains.Storage.Postgres;

/// <summary>
/// Announces the history and index rows that grain state writes stored (<c>ripcord_write_state</c>): NOTIFY on the
/// history and index channels, as an append or an upsert announces its own. The NOTIFY cannot go in the write's
/// transaction: PostgreSQL holds one lock for every notifying commit through its disk flush, which would serialize all
/// writes. So it follows in a transaction of its own that writes nothing. One round trip is in flight at a time;
/// announcements made meanwhile go together in the next one, one row per case.
/// </summary>
public sealed class PostgresRowAnnouncer : IRowsWithState
{
    private readonly NpgsqlDataSource _dataSource;
    private readonly ILogger _logger;
    private readonly bool _enabled;
    private readonly string _historySql;
    private readonly string _indexSql;
    private readonly string _historyChannel;
    private readonly string _indexChannel;
    private readonly Lock _gate = new();
    private HashSet<string> _histories = new(StringComparer.Ordinal);
    private HashSet<string> _indexes = new(StringComparer.Ordinal);
    private bool _running;

    public PostgresRowAnnouncer(NpgsqlDataSource dataSource, IOptions<PostgresStoreOptions> options, ILogger<PostgresRowAnnouncer>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        ArgumentNullException.ThrowIfNull(options);
        var s = options.Value.SchemaName;
        PostgresSchema.ThrowIfInvalidName(s);
        _dataSource = dataSource;
        _logger = logger ?? NullLogger<PostgresRowAnnouncer>.Instance;
        _enabled = options.Value.NotificationsEnabled;
        (_indexChannel, _historyChannel) = PostgresNotifications.ChannelsOf(s);
        _historySql = PostgresCaseHistory.AnnounceSql(s);
        _indexSql = PostgresCaseIndex.AnnounceSql(s + ".ripcord_case_index");
    }

    public void Announce(string caseId, bool history, CaseIndexEntry? index)
    {
        if (!_enabled || (!history && index is null) || string.IsNullOrEmpty(caseId))
        {
            return;
        }

        lock (_gate)
        {
            if (history)
            {
                _histories.Add(caseId);
            }

            if (index is not null)
            {
                _indexes.Add(caseId);
            }

            if (_running)
            {
                return;
            }

            _running = true;
        }

        // Not part of the grain turn that announced: it must not carry that call's context.
        using (ExecutionContext.SuppressFlow())
        {
            _ = Task.Run(RunAsync);
        }
    }

    private async Task RunAsync()
    {
        while (true)
        {
            HashSet<string> histories;
            HashSet<string> indexes;
            lock (_gate)
            {
                if (_histories.Count == 0 && _indexes.Count == 0)
                {
                    _running = false;
                    return;
                }

                histories = _histories;
                indexes = _indexes;
                _histories = new HashSet<string>(StringComparer.Ordinal);
                _indexes = new HashSet<string>(StringComparer.Ordinal);
            }

            try
            {
                await using var batch = _dataSource.CreateBatch();
                if (histories.Count > 0)
                {
                    batch.BatchCommands.Add(Command(_historySql, _historyChannel, histories));
                }

                if (indexes.Count > 0)
                {
                    batch.BatchCommands.Add(Command(_indexSql, _indexChannel, indexes));
                }

                await batch.ExecuteNonQueryAsync(CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                // Waiters time out and read; the listeners' reconnect wakes them all anyway.
                PostgresLog.AnnounceFailed(_logger, histories.Count + indexes.Count, e);
            }
        }
    }

    private static NpgsqlBatchCommand Command(string sql, string channel, HashSet<string> cases)
    {
        var command = new NpgsqlBatchCommand(sql);
        command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Text, Value = channel });
        command.Parameters.Add(new NpgsqlParameter { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text, Value = cases.ToArray() });
        return command;
    }
}
