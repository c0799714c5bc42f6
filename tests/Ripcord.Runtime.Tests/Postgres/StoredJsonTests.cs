using System.Text.Json;
using Ripcord.Runtime.Storage.Postgres;

namespace Ripcord.Runtime.Tests.Postgres;

public sealed class StoredJsonTests
{
    private readonly StoredJson _json = new(new StoredTypeNames(), StoredJson.DefaultOptions());

    public static TheoryData<object> Values() =>
    [
        new Increment(3),
        new CounterState(long.MaxValue, -1),
        new GetCount(),
        new Relay("g/1", 5),
        new Arm("ack", new DateTimeOffset(2026, 11, 21, 6, 0, 0, 123, TimeSpan.Zero).AddTicks(4567)),
        new GrainFault(GrainId.InCase("task", "case-1", "t1"), "boom"),
        42L,
        "text with \"quotes\" and ünïcode",
        new List<int> { 1, 2, 3 },
        new Dictionary<string, CounterState> { ["a"] = new(1, 2) },
        new Nested(new Increment(1), [new Rang("x")], JsonSerializer.SerializeToElement(new { a = 1 })),
    ];

    [Theory]
    [MemberData(nameof(Values))]
    public void Write_ThenRead_GivesAnEqualValue(object value)
    {
        var typeName = _json.TypeOf(value);

        var read = _json.Read(_json.Write(value), typeName);

        Assert.Equal(value.GetType(), read.GetType());
        Assert.Equal(JsonSerializer.Serialize(value, value.GetType()), JsonSerializer.Serialize(read, read.GetType()));
    }

    [Fact]
    public void TypeOf_IsFullNameAndAssemblyWithoutVersion()
    {
        Assert.Equal("Ripcord.Runtime.Tests.Postgres.Increment, Ripcord.Runtime.Tests", _json.TypeOf(new Increment(1)));
        Assert.Equal("System.Int64, System.Private.CoreLib", _json.TypeOf(1L));
    }

    [Fact]
    public void Read_KeysReorderedAsJsonbDoes_StillReadsPolymorphicValues()
    {
        var read = (Shape)_json.Read("""{"Radius": 2, "$type": "circle"}""", _json.Names.NameOf(typeof(Shape)));

        Assert.Equal(2, Assert.IsType<Circle>(read).Radius);
    }

    [Fact]
    public void Read_RenamedType_ResolvesThroughAlias()
    {
        _json.Names.RegisterAlias("Old.Name, Gone", typeof(Increment));

        Assert.Equal(new Increment(4), _json.Read("""{"By":4}""", "Old.Name, Gone"));
    }

    [Fact]
    public void Read_UnknownType_SaysWhatToDo()
    {
        var error = Assert.Throws<InvalidOperationException>(() => _json.Read("{}", "No.Such.Type, Nowhere"));

        Assert.Contains("register it", error.Message, StringComparison.Ordinal);
    }

    public sealed record Nested(Increment Inner, List<Rang> Items, JsonElement Raw);
}

[System.Text.Json.Serialization.JsonDerivedType(typeof(Circle), "circle")]
public abstract record Shape;

public sealed record Circle(int Radius) : Shape;
