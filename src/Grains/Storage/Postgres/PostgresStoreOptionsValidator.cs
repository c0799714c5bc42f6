using Microsoft.Extensions.Options;
using Npgsql;

namespace Ripcord.Grains.Storage.Postgres;

/// <summary>Refuses settings the store cannot start with, naming the configuration key to fix.</summary>
internal sealed class PostgresStoreOptionsValidator : IValidateOptions<PostgresStoreOptions>
{
    private const string Section = "Ripcord:Store:Postgres";

    public ValidateOptionsResult Validate(string? name, PostgresStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.ConnectionString))
        {
            failures.Add($"{Section}:ConnectionString is required with Ripcord:Store:Kind=Postgres: the Npgsql connection string of the database holding the cluster's membership, grain state, reminders, case index and history (for example \"Host=db;Database=ripcord;Username=ripcord;Password=...\").");
        }
        else
        {
            try
            {
                _ = new NpgsqlConnectionStringBuilder(options.ConnectionString);
            }
            catch (ArgumentException e)
            {
                failures.Add($"{Section}:ConnectionString is not a valid Npgsql connection string: {e.Message}");
            }
        }

        if (!PostgresSchema.IsValidName(options.SchemaName))
        {
            failures.Add($"{Section}:SchemaName '{options.SchemaName}' is not valid: use 1 to 40 lower-case letters, digits or underscores, starting with a letter or underscore.");
        }

        if (options.MaxPoolSize is < 1)
        {
            failures.Add($"{Section}:MaxPoolSize must be at least 1 (or unset to keep the connection string's).");
        }

        if (options.ListenReconnectDelayMax <= TimeSpan.Zero)
        {
            failures.Add($"{Section}:ListenReconnectDelayMax must be positive.");
        }

        if (options.MaxAutoPrepare < 0)
        {
            failures.Add($"{Section}:MaxAutoPrepare must be 0 or more.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
