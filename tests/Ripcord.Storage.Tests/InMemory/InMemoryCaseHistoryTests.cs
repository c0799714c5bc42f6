using Ripcord.Grains.Storage;
using Ripcord.Grains.Storage.InMemory;
using Ripcord.Storage.Tests.Specifications;

namespace Ripcord.Storage.Tests.InMemory;

/// <summary>The history specification on the in-memory history; "another process" is the same instance (one process).</summary>
public sealed class InMemoryCaseHistoryTests : CaseHistorySpecification
{
    protected override Task<ICaseHistory> CreateAsync(TimeProvider timeProvider) => Task.FromResult<ICaseHistory>(new InMemoryCaseHistory(timeProvider));

    protected override Task<ICaseHistory> OtherProcessAsync(TimeProvider timeProvider) => Task.FromResult(History);
}
