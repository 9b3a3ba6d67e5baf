using System.Net;
using MarketSpine.SiloHost;
using Microsoft.Extensions.Configuration;

namespace MarketSpine.Actors.Tests.SiloHosting;

public sealed class SiloSettingsTests
{
    [Fact]
    public void A_pod_listens_on_every_address_at_its_port_and_advertises_its_own_ip()
    {
        Assert.True(SiloSettings.TryRead(Configuration(("SPINE_SILO_NAME", "spine-silo-0"), ("SPINE_SILO_ENDPOINT", "10.1.2.3:11111"), ("SPINE_POSTGRES", "Host=db")),
            out var settings, out _));

        Assert.Equal(new SiloSettings("spine-silo-0", new IPEndPoint(IPAddress.Any, 11111), IPEndPoint.Parse("10.1.2.3:11111"), "Host=db"), settings);
    }

    [Fact]
    public void Port_zero_listens_on_the_given_address_and_advertises_the_port_it_gets()
    {
        Assert.True(SiloSettings.TryRead(Configuration(("SPINE_SILO_NAME", "local"), ("SPINE_SILO_ENDPOINT", "127.0.0.1:0"), ("SPINE_POSTGRES", "Host=db")),
            out var settings, out _));

        Assert.Equal((IPEndPoint.Parse("127.0.0.1:0"), (IPEndPoint?)null), (settings.ListenEndpoint, settings.AdvertisedEndpoint));
    }

    [Fact]
    public void Missing_or_malformed_settings_are_all_named()
    {
        Assert.False(SiloSettings.TryRead(Configuration(("SPINE_SILO_ENDPOINT", "10.1.2.3")), out _, out var error));

        Assert.Equal(
            "SPINE_SILO_NAME is not set (Kubernetes: the pod name). SPINE_SILO_ENDPOINT must be ip:port, not '10.1.2.3'. "
            + "SPINE_POSTGRES is not set: the cluster's PostgreSQL connection string.",
            error);
    }

    [Fact]
    public void The_silo_tunes_its_connections_unless_the_operator_chose()
    {
        var tuned = new Npgsql.NpgsqlConnectionStringBuilder(SiloRunner.Tuned("Host=db;Username=spine"));
        var chosen = new Npgsql.NpgsqlConnectionStringBuilder(SiloRunner.Tuned("Host=db;NoResetOnClose=false;Max Auto Prepare=0"));

        Assert.Equal((true, 64), (tuned.NoResetOnClose, tuned.MaxAutoPrepare));
        Assert.Equal((false, 0), (chosen.NoResetOnClose, chosen.MaxAutoPrepare));
    }

    private static IConfiguration Configuration(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => KeyValuePair.Create(v.Key, (string?)v.Value))).Build();
}
