namespace Ripcord.Runtime.Storage.Postgres;

public sealed partial class PostgresGrainStore
{
    private const int DueCasesPerRound = 100;

    public async ValueTask<DateTimeOffset?> FireDueRemindersAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        ThrowIfFrozen();
        var cases = new List<string>();
        await using (var command = _dataSource.CreateCommand(_sql.DueCases))
        {
            command.Parameters.Add(Sql.Time(now));
            command.Parameters.Add(Sql.Int(DueCasesPerRound * 4));
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false) && cases.Count < DueCasesPerRound)
            {
                cases.Add(reader.GetString(0));
            }
        }

        // One transaction per case; reminders another silo is firing right now are skipped, not waited for.
        foreach (var caseId in cases)
        {
            await FireCaseAsync(caseId, now, cancellationToken).ConfigureAwait(false);
        }

        await using (var command = _dataSource.CreateCommand(_sql.NextReminder))
        {
            var next = await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
            return next is DateTime due ? new DateTimeOffset(DateTime.SpecifyKind(due, DateTimeKind.Utc)) : null;
        }
    }

    private async Task FireCaseAsync(string caseId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var woken = new List<GrainId>();
        await using (var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false))
        await using (var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false))
        {
            await using (var command = new Npgsql.NpgsqlCommand(_sql.FireReminders, connection, transaction))
            {
                command.Parameters.Add(Sql.Text(caseId));
                command.Parameters.Add(Sql.Time(now));
                await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    var grain = new GrainId(reader.GetString(0), reader.GetString(1), caseId);
                    if (!woken.Contains(grain))
                    {
                        woken.Add(grain);
                    }
                }
            }

            if (woken.Count > 0 && _options.NotificationsEnabled)
            {
                var wakeUp = new WakeUp(_siloId);
                wakeUp.Grains.AddRange(woken);
                await using var notify = new Npgsql.NpgsqlCommand("SELECT pg_notify($1, $2)", connection, transaction);
                notify.Parameters.Add(Sql.Text(_channel));
                notify.Parameters.Add(Sql.Text(wakeUp.Encode()));
                await notify.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }

            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }

        var listener = _listener;
        if (listener is not null)
        {
            foreach (var grain in woken)
            {
                NoteWake(grain);
                if (MayRunHere(grain))
                {
                    listener.OnMessagesAvailable(grain);
                }
            }
        }
    }
}
