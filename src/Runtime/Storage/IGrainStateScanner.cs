namespace Ripcord.Runtime.Storage;

/// <summary>
/// Implemented by stores that can list the committed states of one grain type in key order, a page at a time
/// (for listings such as <c>GET /api/v1/cases</c>).
/// </summary>
public interface IGrainStateScanner
{
    /// <summary>Up to <paramref name="limit"/> states of <paramref name="grainType"/> whose key is after <paramref name="afterKey"/>, ordered by key.</summary>
    ValueTask<IReadOnlyList<(GrainId Grain, object State)>> ScanAsync(string grainType, string? afterKey, int limit, CancellationToken cancellationToken);
}
