namespace Ripcord.Storage.Tests.Orleans;

/// <summary>State of the test grains: a value and how many reminder ticks arrived (stored with System.Text.Json).</summary>
[GenerateSerializer]
public sealed class ProbeState
{
    [Id(0)]
    public string? Value { get; set; }

    [Id(1)]
    public int Writes { get; set; }
}
