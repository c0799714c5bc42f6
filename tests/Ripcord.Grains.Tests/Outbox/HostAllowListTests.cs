using Ripcord.Grains.Outbox;

namespace Ripcord.Grains.Tests.Outbox;

public sealed class HostAllowListTests
{
    private static readonly HostAllowList Policy = new(["cloud.example.com", "*.vms.example.net", "10.0.0.7:8443", "[fd00::1]", "Straße.example"]);

    [Theory]
    [InlineData("https://cloud.example.com/vms/1", true)]
    [InlineData("http://CLOUD.example.com:9000/vms/1", true)]
    [InlineData("https://eu.vms.example.net/1", true)]
    [InlineData("https://a.b.vms.example.net/1", true)]
    [InlineData("https://vms.example.net/1", false)]
    [InlineData("https://evilvms.example.net/1", false)]
    [InlineData("https://cloud.example.com.evil.org/vms/1", false)]
    [InlineData("https://10.0.0.7:8443/release", true)]
    [InlineData("https://10.0.0.7/release", false)]
    [InlineData("http://[fd00::1]:81/x", true)]
    [InlineData("http://169.254.169.254/latest/meta-data/", false)]
    [InlineData("http://localhost/x", false)]
    [InlineData("ftp://cloud.example.com/x", false)]
    [InlineData("https://xn--strae-oqa.example/x", true)]
    public void Allows_only_the_listed_hosts_and_ports(string url, bool allowed)
    {
        Assert.Equal(allowed, Policy.Allows(new Uri(url)));
    }

    [Fact]
    public void An_empty_list_allows_nothing()
    {
        Assert.False(new HostAllowList([]).Allows(new Uri("https://cloud.example.com/x")));
    }

    [Theory]
    [InlineData("")]
    [InlineData("https://cloud.example.com")]
    [InlineData("cloud.example.com/path")]
    [InlineData("user@cloud.example.com")]
    [InlineData("*.10.0.0.1")]
    [InlineData("*")]
    [InlineData("cloud.*.com")]
    [InlineData("cloud.example.com:http")]
    public void A_bad_entry_is_named(string entry)
    {
        var fault = Assert.Single(HostAllowList.Faults(["cloud.example.com", entry], "Ripcord:Agents:AllowedKillHookHosts"));
        Assert.StartsWith($"Ripcord:Agents:AllowedKillHookHosts:1 '{entry}'", fault, StringComparison.Ordinal);
        var error = Assert.Throws<ArgumentException>(() => new HostAllowList([entry]));
        Assert.Contains($"'{entry}'", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("cloud.example.com")]
    [InlineData("cloud.example.com:443")]
    [InlineData("*.example.com")]
    [InlineData("127.0.0.1")]
    [InlineData("[::1]:8080")]
    public void A_good_entry_has_no_fault(string entry)
    {
        Assert.Empty(HostAllowList.Faults([entry], "Ripcord:Resources:AllowedReleaseHosts"));
    }
}
