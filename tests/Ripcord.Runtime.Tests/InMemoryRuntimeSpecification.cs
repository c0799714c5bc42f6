using Ripcord.Runtime.Storage;
using Ripcord.Runtime.Storage.InMemory;
using Ripcord.Testing;

namespace Ripcord.Runtime.Tests;

/// <summary>The runtime's specification on the embedded in-memory store.</summary>
public sealed class InMemoryRuntimeSpecification : GrainRuntimeSpecification
{
    protected override ValueTask<IGrainStore> CreateStoreAsync(TimeProvider time) => ValueTask.FromResult<IGrainStore>(new InMemoryGrainStore(time));
}
