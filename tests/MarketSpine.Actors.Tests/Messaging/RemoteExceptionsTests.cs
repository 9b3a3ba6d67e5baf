using System.Reflection;
using MarketSpine.Actors.Errors;
using MarketSpine.Actors.Messaging;
using MarketSpine.Actors.Tests.TestGrains;

namespace MarketSpine.Actors.Tests.Messaging;

public sealed class RemoteExceptionsTests
{
    private static readonly Assembly[] Known = [typeof(object).Assembly, typeof(GrainRuntimeException).Assembly, typeof(TroubleGrain).Assembly];

    [Theory]
    [InlineData(typeof(InvalidOperationException), "boom")]
    [InlineData(typeof(ArgumentNullException), "key must be set (Parameter 'key')")]
    [InlineData(typeof(GrainCallTimeoutException), "The call ledger/k.Append got no answer within 00:00:30.")]
    [InlineData(typeof(InconsistentStateException), "Cannot write state 'ledger' of ledger/k.")]
    public void Types_of_the_base_library_the_runtime_and_the_grains_come_back_with_their_message(Type type, string message)
    {
        var rebuilt = RemoteExceptions.Rebuild(type.FullName!, message, Known);

        Assert.Equal((type, message), (rebuilt.GetType(), rebuilt.Message));
    }

    [Theory]
    [InlineData("MarketSpine.Actors.Tests.TestGrains.QuotaExceededException")]
    [InlineData("Some.Assembly.Nobody.Loaded.FancyException")]
    [InlineData("System.String")]
    public void Anything_else_becomes_a_remote_grain_exception_naming_the_type(string typeName)
    {
        var rebuilt = Assert.IsType<RemoteGrainException>(RemoteExceptions.Rebuild(typeName, "it failed", Known));

        Assert.Equal((typeName, "it failed"), (rebuilt.RemoteType, rebuilt.Message));
    }
}
