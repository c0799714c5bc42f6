namespace Ripcord.Runtime.Storage.Postgres;

public sealed partial class PostgresGrainStore : IGrainStateScanner
{
    public async ValueTask<IReadOnlyList<(GrainId Grain, object State)>> ScanAsync(string grainType, string? afterKey, int limit, CancellationToken cancellationToken)
    {
        // Listings (cases, process definitions) page through one grain type in key order. The primary key leads with
        // case_id, so this reads the type's rows; fine for listings, never on a turn's path.
        await using var command = _dataSource.CreateCommand(
            $"SELECT case_id, grain_key, state::text, state_type FROM {_s}.grains " +
            "WHERE grain_type = $1 AND grain_key COLLATE \"C\" > $2 AND version > 0 AND state IS NOT NULL AND state_type IS NOT NULL " +
            "ORDER BY grain_key COLLATE \"C\" LIMIT $3");
        command.Parameters.Add(Sql.Text(grainType));
        command.Parameters.Add(Sql.Text(afterKey ?? ""));
        command.Parameters.Add(new Npgsql.NpgsqlParameter<int> { TypedValue = limit });
        var page = new List<(GrainId Grain, object State)>(Math.Min(limit, 500));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var grain = new GrainId(grainType, reader.GetString(1), reader.GetString(0));
            if (_json.Read(reader.GetString(2), reader.GetString(3)) is { } state)
            {
                page.Add((grain, state));
            }
        }

        return page;
    }
}
