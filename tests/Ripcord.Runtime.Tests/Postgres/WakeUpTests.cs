using Ripcord.Runtime.Storage.Postgres;

namespace Ripcord.Runtime.Tests.Postgres;

public sealed class WakeUpTests
{
    [Fact]
    public void Encode_ThenDecode_KeepsSiloGrainsAndReplies()
    {
        var wakeUp = new WakeUp("silo-1");
        wakeUp.Grains.Add(GrainId.InCase("task", "case 1", "t/1"));
        wakeUp.Grains.Add(GrainId.ForCase("case", "case 1"));
        var reply = Guid.NewGuid();
        wakeUp.Replies.Add(reply);

        var decoded = WakeUp.Decode(wakeUp.Encode())!;

        Assert.Equal("silo-1", decoded.Silo);
        Assert.Equal(wakeUp.Grains, decoded.Grains);
        Assert.Equal([reply], decoded.Replies);
        Assert.False(decoded.PollAll);
    }

    [Fact]
    public void Encode_MoreThanOnePayloadHolds_BecomesPollNow()
    {
        var wakeUp = new WakeUp("silo-1");
        for (var i = 0; i < 1000; i++)
        {
            wakeUp.Grains.Add(GrainId.InCase("task", "case-" + i, "t"));
        }

        var payload = wakeUp.Encode();

        Assert.True(payload.Length < 8000);
        var decoded = WakeUp.Decode(payload)!;
        Assert.True(decoded.PollAll);
        Assert.Empty(decoded.Grains);
    }

    [Fact]
    public void Encode_IdWithSeparator_BecomesPollNow()
    {
        var wakeUp = new WakeUp("silo-1");
        wakeUp.Grains.Add(GrainId.InCase("task", "case\u001e1", "t"));

        Assert.True(WakeUp.Decode(wakeUp.Encode())!.PollAll);
    }

    [Fact]
    public void Encode_StoppedSilo_IsAnnounced()
    {
        var decoded = WakeUp.Decode(new WakeUp("silo-1") { Stopped = "silo-1" }.Encode())!;

        Assert.Equal("silo-1", decoded.Stopped);
    }

    [Theory]
    [InlineData("")]
    [InlineData("silo\u001ex")]
    [InlineData("silo\u001em1\u001f2")]
    [InlineData("silo\u001erNOTAGUID")]
    public void Decode_Malformed_ReturnsNull(string payload) => Assert.Null(WakeUp.Decode(payload));
}
