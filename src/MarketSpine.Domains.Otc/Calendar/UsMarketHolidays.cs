namespace MarketSpine.Domains.Otc.Calendar;

/// <summary>
/// The US market holidays that can fall on a Monday, the only ones that move FINRA's Monday
/// publication to Tuesday: New Year's Day, Juneteenth, Independence Day and Christmas (observed
/// on Monday when they fall on a Sunday), and the Monday holidays (Martin Luther King Jr. Day,
/// Washington's Birthday, Memorial Day, Labor Day). Computed by rule, so no table to keep current.
/// Juneteenth is a market holiday from 2022.
/// </summary>
public static class UsMarketHolidays
{
    public static bool IsMondayHoliday(DateOnly date)
    {
        if (date.DayOfWeek != DayOfWeek.Monday)
        {
            return false;
        }

        return IsFixedHolidayObservedOn(date, 1, 1)
               || (date.Year >= 2022 && IsFixedHolidayObservedOn(date, 6, 19))
               || IsFixedHolidayObservedOn(date, 7, 4)
               || IsFixedHolidayObservedOn(date, 12, 25)
               || date == NthMonday(date.Year, 1, 3)
               || date == NthMonday(date.Year, 2, 3)
               || date == LastMonday(date.Year, 5)
               || date == NthMonday(date.Year, 9, 1);
    }

    /// <summary>The holiday itself on a Monday, or observed on Monday when it falls on Sunday.</summary>
    private static bool IsFixedHolidayObservedOn(DateOnly monday, int month, int day)
    {
        var holiday = new DateOnly(monday.Year, month, day);
        return monday == holiday || monday == holiday.AddDays(1);
    }

    private static DateOnly NthMonday(int year, int month, int n)
    {
        var first = new DateOnly(year, month, 1);
        var offset = ((int)DayOfWeek.Monday - (int)first.DayOfWeek + 7) % 7;
        return first.AddDays(offset + (7 * (n - 1)));
    }

    private static DateOnly LastMonday(int year, int month)
    {
        var last = new DateOnly(year, month, DateTime.DaysInMonth(year, month));
        return last.AddDays(-(((int)last.DayOfWeek - (int)DayOfWeek.Monday + 7) % 7));
    }
}
