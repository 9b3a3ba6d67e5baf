using MarketSpine.Core.Errors;
using MarketSpine.Domains.Otc.Calendar;
using MarketSpine.Domains.Otc.Model;

namespace MarketSpine.Domains.Otc.Tests.Calendar;

public sealed class WeekCalendarTests
{
    [Theory]
    // The reference file: OTC published Monday 2025-12-15 covers the week of 2025-11-10 (ending the 14th).
    [InlineData("2025-12-15", OtcTier.Otc, "2025-11-14")]
    [InlineData("2025-12-15", OtcTier.NmsTier2, "2025-11-14")]
    [InlineData("2023-02-06", OtcTier.NmsTier1, "2023-01-20")]
    // Tuesday after a Monday holiday: Tier 1, week of 2022-12-12, published 2023-01-03.
    [InlineData("2023-01-03", OtcTier.NmsTier1, "2022-12-16")]
    public void Regular_publications_map_to_the_week_they_cover(string publication, OtcTier tier, string weekEnding)
    {
        Assert.Equal(DateOnly.Parse(weekEnding, System.Globalization.CultureInfo.InvariantCulture),
            WeekCalendar.WeekEndingFromPublication(DateOnly.Parse(publication, System.Globalization.CultureInfo.InvariantCulture), tier));
    }

    [Theory]
    [InlineData("2026-02-10")]
    [InlineData("2025-12-16")]
    [InlineData("2025-12-17")]
    [InlineData("2025-12-19")]
    [InlineData("2025-12-20")]
    public void Other_weekdays_and_ordinary_Tuesdays_are_not_regular_publications(string publication)
    {
        Assert.Null(WeekCalendar.WeekEndingFromPublication(DateOnly.Parse(publication, System.Globalization.CultureInfo.InvariantCulture), OtcTier.Otc));
    }

    [Fact]
    public void A_requested_week_wins_over_the_publication_date()
    {
        var (week, source) = WeekCalendar.Resolve(new DateOnly(2025, 11, 7), new DateOnly(2025, 12, 15), OtcTier.Otc, "f.psv");
        Assert.Equal(new DateOnly(2025, 11, 7), week);
        Assert.Equal(WeekSource.Requested, source);
    }

    [Fact]
    public void A_re_publication_on_a_Wednesday_needs_the_week()
    {
        var error = Assert.Throws<TransformError>(() => WeekCalendar.Resolve(null, new DateOnly(2026, 2, 11), OtcTier.Otc, "f.psv"));
        Assert.Equal(ErrorCodes.WeekUndetermined, error.Code);
        Assert.Contains("week_ending", error.Message, StringComparison.Ordinal);
        Assert.Contains("Wednesday", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_requested_week_must_be_a_Friday_and_the_message_names_the_nearest()
    {
        var error = Assert.Throws<ValidationError>(() => WeekCalendar.Resolve(new DateOnly(2025, 11, 13), new DateOnly(2025, 12, 15), OtcTier.Otc, "f.psv"));
        Assert.Equal("NOT_A_FRIDAY", Assert.Single(error.Problems).Code);
        Assert.Contains("2025-11-14", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_requested_week_cannot_end_after_its_publication()
    {
        var error = Assert.Throws<TransformError>(() => WeekCalendar.Resolve(new DateOnly(2025, 12, 19), new DateOnly(2025, 12, 15), OtcTier.Otc, "f.psv"));
        Assert.Equal(ErrorCodes.WeekUndetermined, error.Code);
    }

    [Theory]
    [InlineData("2023-01-02")] // New Year's Day observed (Jan 1 was a Sunday)
    [InlineData("2024-01-15")] // Martin Luther King Jr. Day
    [InlineData("2025-02-17")] // Washington's Birthday
    [InlineData("2025-05-26")] // Memorial Day
    [InlineData("2025-09-01")] // Labor Day
    [InlineData("2022-06-20")] // Juneteenth observed
    [InlineData("2022-07-04")] // Independence Day
    [InlineData("2022-12-26")] // Christmas observed
    public void Monday_market_holidays_are_known(string monday) =>
        Assert.True(UsMarketHolidays.IsMondayHoliday(DateOnly.Parse(monday, System.Globalization.CultureInfo.InvariantCulture)));

    [Theory]
    [InlineData("2026-02-09")]
    [InlineData("2025-12-15")]
    [InlineData("2025-10-13")] // Columbus Day: markets open
    [InlineData("2021-06-21")] // Juneteenth observed, before it was a market holiday
    [InlineData("2025-01-21")] // a Tuesday
    public void Ordinary_days_are_not_Monday_holidays(string day) =>
        Assert.False(UsMarketHolidays.IsMondayHoliday(DateOnly.Parse(day, System.Globalization.CultureInfo.InvariantCulture)));
}
