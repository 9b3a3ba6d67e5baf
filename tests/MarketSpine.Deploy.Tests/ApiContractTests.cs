namespace MarketSpine.Deploy.Tests;

/// <summary>
/// The readers of the API's contract find what the API serves and reads, so that the deployment
/// tests built on them cannot pass on an empty answer.
/// </summary>
public sealed class ApiContractTests
{
    [Fact]
    public async Task Routes_are_the_apis_own()
    {
        var routes = await ApiContract.GetRoutesAsync();

        Assert.True(ApiContract.Serves(routes, "/v1/health"));
        Assert.True(ApiContract.Serves(routes, "/openapi/v1.json"));
        Assert.True(ApiContract.Serves(routes, "/v1/executions/some-id"));
        Assert.False(ApiContract.Serves(routes, "/healthz"));
    }

    [Fact]
    public void Front_end_variables_are_read_from_its_program()
    {
        Assert.Contains("SPINE_POSTGRES", ApiContract.FrontEndVariables);
        Assert.Contains("SPINE_HTTP", ApiContract.FrontEndVariables);
        Assert.Equal(Uri.UriSchemeHttp, ApiContract.FrontEndDefaultUrl.Scheme);
    }

    [Fact]
    public void Option_variables_name_the_apis_limits()
    {
        Assert.Contains("Spine__Api__MaxEventStreams", ApiContract.OptionVariables);
        Assert.Contains("Spine__Api__MaxRequestBodyBytes", ApiContract.OptionVariables);
    }

    [Fact]
    public void Readiness_checks_and_the_host_have_bounded_waits()
    {
        Assert.InRange(ApiContract.ReadinessCheckLimit, TimeSpan.FromMilliseconds(1), TimeSpan.FromMinutes(1));
        Assert.InRange(ApiContract.StopBound, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(5));
    }
}
