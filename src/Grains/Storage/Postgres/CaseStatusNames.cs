using System.Collections.Frozen;
using System.Reflection;
using System.Text.Json.Serialization;
using Ripcord.Contracts;

namespace Ripcord.Grains.Storage.Postgres;

/// <summary>
/// Case statuses as the index stores them: their API names (<c>running</c>, <c>cancel_pending</c>), which stay
/// readable in SQL and do not change meaning when the enum's members are reordered.
/// </summary>
internal static class CaseStatusNames
{
    private static readonly FrozenDictionary<CaseStatus, string> Names = Enum.GetValues<CaseStatus>().ToFrozenDictionary(
        status => status,
        status => typeof(CaseStatus).GetField(status.ToString())!.GetCustomAttribute<JsonStringEnumMemberNameAttribute>()?.Name ?? status.ToString());

    private static readonly FrozenDictionary<string, CaseStatus> Statuses = Names.ToFrozenDictionary(p => p.Value, p => p.Key, StringComparer.Ordinal);

    public static string NameOf(CaseStatus status) =>
        Names.TryGetValue(status, out var name) ? name : throw new ArgumentOutOfRangeException(nameof(status), status, "Not a case status.");

    public static CaseStatus Parse(string name) =>
        Statuses.TryGetValue(name, out var status) ? status : throw new InvalidDataException($"The case index holds an unknown status '{name}'.");
}
