namespace MarketSpine.Domains.Otc.Calculations;

/// <summary>Running totals of one symbol (over its venues) or one venue (over its symbols).</summary>
internal sealed class Totals(string name)
{
    public string Name { get; private set; } = name;

    public long Shares { get; private set; }

    public long Trades { get; private set; }

    public int Count { get; private set; }

    public void Add(long shares, long trades)
    {
        Shares += shares;
        Trades += trades;
        Count++;
    }

    /// <summary>Keeps the first non-empty name seen.</summary>
    public void NameIfEmpty(string name)
    {
        if (Name.Length == 0)
        {
            Name = name;
        }
    }
}
