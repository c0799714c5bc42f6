using Ripcord.Grains.Storage;
using Ripcord.Grains.Storage.InMemory;
using Ripcord.Storage.Tests.Specifications;

namespace Ripcord.Storage.Tests.InMemory;

/// <summary>The index specification on the in-memory index; "another process" is the same instance (one process).</summary>
public sealed class InMemoryCaseIndexTests : CaseIndexSpecification
{
    protected override Task<ICaseIndex> CreateAsync(TimeProvider timeProvider) => Task.FromResult<ICaseIndex>(new InMemoryCaseIndex(timeProvider));

    protected override Task<ICaseIndex> OtherProcessAsync(TimeProvider timeProvider) => Task.FromResult(Index);
}
