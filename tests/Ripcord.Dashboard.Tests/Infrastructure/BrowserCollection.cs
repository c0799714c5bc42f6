namespace Ripcord.Dashboard.Tests.Infrastructure;

/// <summary>Every browser test shares one Chromium and runs one at a time (the machine has two cores).</summary>
[CollectionDefinition(Name)]
public sealed class BrowserCollection : ICollectionFixture<BrowserFixture>
{
    public const string Name = "browser";
}
