using System.Text.Json;
using MarketSpine.Actors.Directory;
using MarketSpine.Actors.Membership;
using MarketSpine.Actors.Messaging;
using MarketSpine.Actors.Placement;
using MarketSpine.Actors.Transport;

namespace MarketSpine.Actors.Runtime;

/// <summary>
/// The parts a silo has only in a cluster: its membership, its transport, its cache of remote grain
/// locations, placement, the wire format, and the deadlines of its calls to other silos. <see cref="IsFenced"/> is set when the silo loses its
/// membership: from then on it runs nothing new and refuses every call, since peers may already host
/// its grains.
/// </summary>
internal sealed class SiloCluster
{
    private readonly SiloRuntime _runtime;
    private volatile bool _fenced;

    public SiloCluster(SiloRuntime runtime, PostgresMembershipTable table, IMessageTransport transport)
    {
        _runtime = runtime;
        Membership = new MembershipAgent(runtime, table);
        Transport = transport;
        Cache = new DirectoryCache(runtime.Options.Cluster.DirectoryCacheSize);
        Placement = new PlacementDirector(runtime, Membership);
        var wireOptions = new JsonSerializerOptions(runtime.Options.SerializerOptions);
        wireOptions.Converters.Add(new GrainReferenceConverter((grainInterface, key) => runtime.GrainFactory.GetGrain(grainInterface, key)));
        Wire = new WireCodec(wireOptions);
        Deadlines = new CallDeadlines(runtime.Time, runtime.Options.CallTimeoutCheckInterval);
        Membership.SilosGone += Cache.RemoveSilos;
    }

    public MembershipAgent Membership { get; }

    public IMessageTransport Transport { get; }

    public DirectoryCache Cache { get; }

    public PlacementDirector Placement { get; }

    public WireCodec Wire { get; }

    public CallDeadlines Deadlines { get; }

    public bool IsFenced => _fenced;

    /// <summary>Whether new activations may be created on this silo: it is active in the membership and not stopping.</summary>
    public bool CanHostHere =>
        !_fenced && _runtime.Catalog.IsOpen && Membership.View.Find(_runtime.Address)?.Status == SiloStatus.Active;

    public void Fence() => _fenced = true;
}
