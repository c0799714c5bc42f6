using System.Collections.Concurrent;

namespace Ripcord.Silo.SampleAgents;

/// <summary>
/// The state of the simulated cloud: VMs that are created and released, kept in memory for the silo's lifetime. It
/// bills nothing; it exists so a user can watch resources come and go as cases run and are cancelled.
/// </summary>
public sealed class SimulatedCloud(TimeProvider time)
{
    public const string Running = "running";
    public const string Released = "released";

    private readonly ConcurrentDictionary<string, SimulatedVm> _vms = new(StringComparer.Ordinal);

    public SimulatedVm Create(string size, IReadOnlyDictionary<string, string>? labels)
    {
        var vm = new SimulatedVm
        {
            Id = "vm-" + Guid.NewGuid().ToString("N")[..10],
            Size = size,
            State = Running,
            CreatedAt = time.GetUtcNow(),
            Labels = labels ?? new Dictionary<string, string>(),
        };
        _vms[vm.Id] = vm;
        return vm;
    }

    public SimulatedVm? Find(string id) => _vms.GetValueOrDefault(id);

    public IReadOnlyList<SimulatedVm> List() => [.. _vms.Values.OrderBy(v => v.CreatedAt).ThenBy(v => v.Id, StringComparer.Ordinal)];

    /// <summary>Releases a VM; idempotent (a second call counts but changes nothing else). Null for an unknown id.</summary>
    public SimulatedVm? Release(string id, string? byCase)
    {
        while (_vms.TryGetValue(id, out var vm))
        {
            var released = vm.State == Released
                ? vm with { ReleaseCalls = vm.ReleaseCalls + 1 }
                : vm with { State = Released, ReleasedAt = time.GetUtcNow(), ReleaseCalls = vm.ReleaseCalls + 1, ReleasedByCase = byCase };
            if (_vms.TryUpdate(id, released, vm))
            {
                return released;
            }
        }

        return null;
    }
}
