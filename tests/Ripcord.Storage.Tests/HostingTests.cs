using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Storage;
using Ripcord.Grains.Storage;
using Ripcord.Grains.Storage.InMemory;
using Ripcord.Grains.Storage.Postgres;

namespace Ripcord.Storage.Tests;

public sealed class HostingTests
{
    [Fact]
    public async Task A_missing_connection_string_stops_the_start_with_a_message_naming_the_setting()
    {
        using var host = BuildHost(silo => silo.UseRipcordPostgres(_ => { }));

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("Ripcord:Store:Postgres:ConnectionString is required", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bad_settings_are_each_named()
    {
        using var host = BuildHost(silo => silo.UseRipcordPostgres(o =>
        {
            o.ConnectionString = "Host=localhost;No Such Keyword=1";
            o.SchemaName = "Bad-Name";
            o.MaxPoolSize = 0;
        }));

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("Ripcord:Store:Postgres:ConnectionString is not a valid Npgsql connection string", error.Message, StringComparison.Ordinal);
        Assert.Contains("Ripcord:Store:Postgres:SchemaName 'Bad-Name' is not valid", error.Message, StringComparison.Ordinal);
        Assert.Contains("Ripcord:Store:Postgres:MaxPoolSize", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_PostgreSQL_stores_are_registered_with_the_settings()
    {
        using var host = BuildHost(silo => silo.UseRipcordPostgres(o => o.ConnectionString = "Host=127.0.0.1;Port=1;Database=x;Username=y"));

        Assert.IsType<PostgresCaseIndex>(host.Services.GetRequiredService<ICaseIndex>());
        Assert.IsType<PostgresCaseHistory>(host.Services.GetRequiredService<ICaseHistory>());
        var dataSource = host.Services.GetRequiredKeyedService<Npgsql.NpgsqlDataSource>(PostgresSiloBuilderExtensions.DataSourceKey);
        Assert.Contains("Search Path=ripcord", dataSource.ConnectionString, StringComparison.Ordinal);
        Assert.Contains("Max Auto Prepare=32", dataSource.ConnectionString, StringComparison.Ordinal);
        Assert.Contains("No Reset On Close=True", dataSource.ConnectionString, StringComparison.Ordinal);
    }

    [Fact]
    public void A_reset_on_close_the_connection_string_asks_for_is_kept()
    {
        using var host = BuildHost(silo => silo.UseRipcordPostgres(o => o.ConnectionString = "Host=127.0.0.1;Port=1;Database=x;Username=y;No Reset On Close=false"));

        var dataSource = host.Services.GetRequiredKeyedService<Npgsql.NpgsqlDataSource>(PostgresSiloBuilderExtensions.DataSourceKey);
        Assert.DoesNotContain("No Reset On Close=True", dataSource.ConnectionString, StringComparison.Ordinal);
    }

    [Fact]
    public void The_in_memory_stores_leave_an_index_and_history_registered_before_them()
    {
        var index = new InMemoryCaseIndex();
        using var host = BuildHost(silo =>
        {
            silo.Services.AddSingleton<ICaseIndex>(index);
            silo.UseLocalhostClustering();
            silo.UseRipcordInMemoryStores();
        });

        Assert.Same(index, host.Services.GetRequiredService<ICaseIndex>());
        Assert.IsType<InMemoryCaseHistory>(host.Services.GetRequiredService<ICaseHistory>());
        Assert.NotNull(host.Services.GetRequiredKeyedService<IGrainStorage>(RipcordStorage.Name));
    }

    private static IHost BuildHost(Action<ISiloBuilder> configure)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.UseOrleans(configure);
        return builder.Build();
    }
}
