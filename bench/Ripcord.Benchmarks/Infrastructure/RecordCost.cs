using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;
using Ripcord.Grains.Durability;
using Ripcord.Grains.Storage;

namespace Ripcord.Benchmarks.Infrastructure;

/// <summary>
/// Diagnostics: a durable grain's stored record, read back from the silo's grain storage, and what serializing it once
/// with the silo's grain storage serializer costs (as every turn of that grain does before it writes).
/// </summary>
internal static class RecordCost
{
    public static async Task<string> MeasureAsync<TState>(IServiceProvider services, GrainId grainId, string stateName)
        where TState : class
    {
        var storage = services.GetRequiredKeyedService<IGrainStorage>(RipcordStorage.Name);
        var state = new GrainState<GrainRecord<TState>>();
        await storage.ReadStateAsync(stateName, grainId, state);
        var record = state.State ?? throw new InvalidOperationException($"{grainId} has no stored record.");
        var serializer = services.GetRequiredService<IGrainStorageSerializer>();
        var bytes = 0;
        for (var i = 0; i < 20; i++)
        {
            bytes = serializer.Serialize(record).ToMemory().Length;
        }

        const int Rounds = 200;
        var cpu = Environment.CpuUsage.TotalTime;
        var t = Stopwatch.GetTimestamp();
        for (var i = 0; i < Rounds; i++)
        {
            serializer.Serialize(record);
        }

        var wall = Stopwatch.GetElapsedTime(t).TotalMicroseconds / Rounds;
        var used = (Environment.CpuUsage.TotalTime - cpu).TotalMicroseconds / Rounds;
        return string.Create(CultureInfo.InvariantCulture,
            $"{bytes / 1024.0:F1} KiB of JSON ({record.Outbox.Length} outbox entries, {record.Deadlines.Length} deadlines, {record.Applied.Count} senders applied), {wall:F0} µs per serialization ({used:F0} µs of process CPU; mean of {Rounds})");
    }
}
