using System.Collections.Immutable;
using Ripcord.Contracts;

namespace Ripcord.Grains.Storage;

/// <summary>A page of the case index, the cursor of the next one (null on the last) and the count of cases by status over all cases.</summary>
public sealed record CasePage(ImmutableArray<CaseIndexEntry> Cases, string? Next, ImmutableDictionary<CaseStatus, int> Counts);
