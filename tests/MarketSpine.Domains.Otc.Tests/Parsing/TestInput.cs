using System.Text;
using MarketSpine.Core.Errors;
using MarketSpine.Domains.Otc.Parsing;

namespace MarketSpine.Domains.Otc.Tests.Parsing;

/// <summary>Small in-memory inputs for parser tests.</summary>
internal static class TestInput
{
    public const string Header = FinraWeeklyColumns.CanonicalHeader;
    public const string SourceName = "test_input.psv";

    public static List<FinraWeeklyRow> Parse(string text) => Parse(Encoding.UTF8.GetBytes(text));

    public static List<FinraWeeklyRow> Parse(byte[] bytes)
    {
        using var stream = new MemoryStream(bytes);
        return FinraWeeklyParser.Parse(stream, SourceName).ToList();
    }

    public static SourceError ParseFails(string text) => Assert.Throws<SourceError>(() => Parse(text));
}
