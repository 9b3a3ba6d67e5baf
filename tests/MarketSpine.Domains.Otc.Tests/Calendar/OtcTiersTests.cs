using MarketSpine.Domains.Otc.Model;
using MarketSpine.Domains.Otc.Queries;

namespace MarketSpine.Domains.Otc.Tests.Calendar;

public sealed class OtcTiersTests
{
    [Theory]
    [InlineData("NMS_TIER_1", OtcTier.NmsTier1)]
    [InlineData("NMS Tier 1", OtcTier.NmsTier1)]
    [InlineData("t1", OtcTier.NmsTier1)]
    [InlineData("NMS Tier 2", OtcTier.NmsTier2)]
    [InlineData("T2", OtcTier.NmsTier2)]
    [InlineData("otc", OtcTier.Otc)]
    [InlineData("OTCE", OtcTier.Otc)]
    public void File_API_and_code_spellings_are_one_tier(string text, OtcTier tier)
    {
        Assert.True(OtcTiers.TryParse(text, out var parsed));
        Assert.Equal(tier, parsed);
    }

    [Theory]
    [InlineData("Not Applicable")]
    [InlineData("NMS")]
    [InlineData("")]
    public void Other_spellings_are_not_tiers(string text) => Assert.False(OtcTiers.TryParse(text, out _));

    [Fact]
    public void Capture_ids_name_tier_week_and_publication() =>
        Assert.Equal("OTC:2025-11-14:2025-12-15", CaptureId.Of(OtcTier.Otc, new DateOnly(2025, 11, 14), new DateOnly(2025, 12, 15)));

    [Fact]
    public void As_of_parses_latest_dates_and_capture_ids()
    {
        Assert.Equal(AsOf.Latest, AsOf.Parse(null));
        Assert.Equal(AsOf.Latest, AsOf.Parse("latest"));
        Assert.Equal(new AsOf(null, new DateOnly(2025, 12, 20)), AsOf.Parse("2025-12-20"));
        Assert.Equal(new AsOf("OTC:2025-11-14:2025-12-15", null), AsOf.Parse("OTC:2025-11-14:2025-12-15"));
        var error = Assert.Throws<MarketSpine.Core.Errors.ValidationError>(() => AsOf.Parse("yesterday"));
        Assert.Equal("INVALID_AS_OF", Assert.Single(error.Problems).Code);
    }
}
