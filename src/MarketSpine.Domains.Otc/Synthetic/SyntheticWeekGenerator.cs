using System.Globalization;
using System.Text;
using MarketSpine.Domains.Otc.Parsing;

namespace MarketSpine.Domains.Otc.Synthetic;

/// <summary>
/// Generates SYNTHETIC weekly files in the exact format and shape of FINRA's OTC transparency
/// download, for tests and benchmarks: realistic tickers and issue names (commas, <c>$</c>,
/// <c>&amp;</c>, <c>#</c>, runs of spaces), 20–60 venues, heavy-tailed volumes (one venue and a
/// few symbols dominate, as OTCN holds ~82 % of the real OTC files), unique (symbol, MPID),
/// sorted by symbol then MPID, a few empty-symbol rows last. Deterministic: the same options
/// give byte-identical output on every machine. Nothing here is real market data.
/// </summary>
public static class SyntheticWeekGenerator
{
    public const string NmsTier1 = "NMS Tier 1";
    public const string NmsTier2 = "NMS Tier 2";
    public const string Otc = "OTC";

    public static IReadOnlyList<string> Tiers { get; } = [NmsTier1, NmsTier2, Otc];

    public static SyntheticWeek Generate(int seed, int rowCount, string tier, DateOnly lastUpdateDate) =>
        Generate(new SyntheticWeekOptions(seed, rowCount, tier, lastUpdateDate));

    public static SyntheticWeek Generate(SyntheticWeekOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfNegative(options.RowCount);
        ValidateTier(options.Tier);
        if (options.VenueCount is { } requestedVenues)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(requestedVenues, 1, nameof(options));
            ArgumentOutOfRangeException.ThrowIfGreaterThan(requestedVenues, 200, nameof(options));
        }

        var random = new DeterministicRandom(options.Seed);
        var venues = BuildVenues(random, options.VenueCount ?? random.Next(20, 61));
        var emptyRows = options.EmptySymbolRows ?? (options.RowCount >= 100 ? random.Next(1, 4) : 0);
        if (emptyRows < 0 || emptyRows > Math.Min(options.RowCount, venues.Count))
        {
            throw new ArgumentOutOfRangeException(
                nameof(options),
                $"EmptySymbolRows must be between 0 and min(RowCount, venues) = {Math.Min(options.RowCount, venues.Count)}: (\"\", MPID) must stay unique.");
        }

        var shape = SyntheticTierShape.For(options.Tier);
        var plans = PlanSymbols(random, shape, options.RowCount - emptyRows, venues.Count);
        var tickers = UniqueSortedTickers(random, plans.Count, options.Tier);

        var rows = new List<FinraWeeklyRow>(options.RowCount);
        var picks = new List<int>();
        var shares = new List<double>();
        for (var i = 0; i < plans.Count; i++)
        {
            var plan = plans[i];
            var symbol = tickers[i];
            var issueName = IssueName(random, symbol, options.Tier);
            PickVenues(random, venues.Count, plan.VenueCount, plan.ForcedVenue, picks);
            picks.Sort((a, b) => string.CompareOrdinal(venues[a].Mpid, venues[b].Mpid));

            // Split the symbol's volume over its venues: the dominant venues take most of it.
            var total = DeterministicRandom.Pow10(shape.SymbolLog10Mean + (shape.SymbolLog10Sigma * plan.VolumeScore));
            shares.Clear();
            var weightSum = 0.0;
            foreach (var rank in picks)
            {
                var weight = VolumeWeight(rank) * random.NextLogNormal10(0, 0.35);
                shares.Add(weight);
                weightSum += weight;
            }

            for (var p = 0; p < picks.Count; p++)
            {
                var venue = venues[picks[p]];
                var quantity = ToCount(total * shares[p] / weightSum);
                rows.Add(new FinraWeeklyRow(
                    rows.Count + 2,
                    options.Tier,
                    symbol,
                    issueName,
                    venue.Name,
                    venue.Mpid,
                    quantity,
                    TradeCount(random, quantity),
                    options.LastUpdateDate));
            }
        }

        // FINRA writes rows without a symbol after all the others (see the 20251229 file).
        PickVenues(random, venues.Count, emptyRows, forced: -1, picks);
        picks.Sort((a, b) => string.CompareOrdinal(venues[a].Mpid, venues[b].Mpid));
        foreach (var rank in picks)
        {
            var quantity = (long)random.Next(1, 200);
            rows.Add(new FinraWeeklyRow(rows.Count + 2, options.Tier, string.Empty, string.Empty, venues[rank].Name, venues[rank].Mpid, quantity, random.Next(1, 3), options.LastUpdateDate));
        }

        return new SyntheticWeek(options.Tier, options.LastUpdateDate, options.FinalNewline, rows, venues);
    }

    /// <summary>
    /// A later publication of the same week, as FINRA re-publishes revised weeks: same tier,
    /// symbols and venues; some counts changed, some rows gone, some (symbol, venue) rows new;
    /// a later lastUpdateDate. Deterministic in the original and <paramref name="options"/>.
    /// </summary>
    public static SyntheticWeek Republish(SyntheticWeek original, SyntheticRepublishOptions options)
    {
        ArgumentNullException.ThrowIfNull(original);
        ArgumentNullException.ThrowIfNull(options);
        if (options.LastUpdateDate <= original.LastUpdateDate)
        {
            throw new ArgumentOutOfRangeException(nameof(options), $"A re-publication must be dated after the original ({original.LastUpdateDate:yyyy-MM-dd}).");
        }

        ValidateFraction(options.ChangedFraction);
        ValidateFraction(options.RemovedFraction);
        ValidateFraction(options.AddedFraction);

        var random = new DeterministicRandom(options.Seed);
        var occupied = new HashSet<(string Symbol, string Mpid)>();
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        var symbols = new List<string>();
        foreach (var row in original.Rows)
        {
            occupied.Add((row.Symbol, row.Mpid));
            if (row.Symbol.Length > 0 && names.TryAdd(row.Symbol, row.IssueName))
            {
                symbols.Add(row.Symbol);
            }
        }

        var rows = new List<FinraWeeklyRow>(original.Rows.Count);
        foreach (var row in original.Rows)
        {
            if (random.Chance(options.RemovedFraction))
            {
                continue;
            }

            var revised = row with { LastUpdateDate = options.LastUpdateDate };
            if (random.Chance(options.ChangedFraction))
            {
                var quantity = Math.Max(1, (long)Math.Round(row.ShareQuantity * (0.5 + random.NextDouble())));
                if (quantity == row.ShareQuantity)
                {
                    quantity++;
                }

                var trades = Math.Clamp((long)Math.Round(row.TradeCount * (double)quantity / Math.Max(1, row.ShareQuantity)), 1, quantity);
                revised = revised with { ShareQuantity = quantity, TradeCount = trades };
            }

            rows.Add(revised);
        }

        var toAdd = (int)Math.Round(original.Rows.Count * options.AddedFraction);
        var free = new List<int>();
        var maxAttempts = toAdd * 50;
        for (var attempt = 0; toAdd > 0 && symbols.Count > 0 && attempt < maxAttempts; attempt++)
        {
            // A new venue for an existing symbol, weighted towards the big venues it lacks.
            var symbol = random.Pick(symbols);
            free.Clear();
            var total = 0.0;
            foreach (var venue in original.Venues)
            {
                if (!occupied.Contains((symbol, venue.Mpid)))
                {
                    free.Add(venue.Rank);
                    total += PickWeight(venue.Rank);
                }
            }

            if (free.Count == 0)
            {
                continue;
            }

            var target = random.NextDouble() * total;
            var chosen = free[^1];
            foreach (var rank in free)
            {
                target -= PickWeight(rank);
                if (target < 0)
                {
                    chosen = rank;
                    break;
                }
            }

            var added = original.Venues[chosen];
            occupied.Add((symbol, added.Mpid));
            var quantity = ToCount(random.NextLogNormal10(3.0, 1.0));
            rows.Add(new FinraWeeklyRow(0, original.Tier, symbol, names[symbol], added.Name, added.Mpid, quantity, TradeCount(random, quantity), options.LastUpdateDate));
            toAdd--;
        }

        rows.Sort(CompareFileOrder);
        for (var i = 0; i < rows.Count; i++)
        {
            rows[i] = rows[i] with { LineNumber = i + 2 };
        }

        return new SyntheticWeek(original.Tier, options.LastUpdateDate, options.FinalNewline ?? original.FinalNewline, rows, original.Venues);
    }

    /// <summary><c>synthetic_finra_otc_weekly_{tier-slug}_{yyyyMMdd}.psv</c>, e.g. <c>synthetic_finra_otc_weekly_nms_tier_1_20251215.psv</c>.</summary>
    public static string DefaultFileName(string tier, DateOnly lastUpdateDate)
    {
        ArgumentException.ThrowIfNullOrEmpty(tier);
        var slug = new StringBuilder(tier.Length);
        foreach (var c in tier.Trim())
        {
            slug.Append(char.IsAsciiLetterOrDigit(c) ? char.ToLowerInvariant(c) : '_');
        }

        return $"synthetic_finra_otc_weekly_{slug}_{lastUpdateDate.ToString("yyyyMMdd", CultureInfo.InvariantCulture)}.psv";
    }

    private static int CompareFileOrder(FinraWeeklyRow a, FinraWeeklyRow b)
    {
        // Empty symbols last, as in FINRA's files; otherwise ordinal by symbol, then MPID.
        if (a.Symbol.Length == 0 != (b.Symbol.Length == 0))
        {
            return a.Symbol.Length == 0 ? 1 : -1;
        }

        var bySymbol = string.CompareOrdinal(a.Symbol, b.Symbol);
        return bySymbol != 0 ? bySymbol : string.CompareOrdinal(a.Mpid, b.Mpid);
    }

    private static void ValidateTier(string tier)
    {
        if (!Tiers.Contains(tier, StringComparer.Ordinal))
        {
            throw new ArgumentOutOfRangeException(nameof(tier), tier, $"Tier must be one of: {string.Join(", ", Tiers)}.");
        }
    }

    private static void ValidateFraction(double value)
    {
        if (value is < 0 or > 1 || double.IsNaN(value))
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, "Fractions are between 0 and 1.");
        }
    }

    private static List<SyntheticVenue> BuildVenues(DeterministicRandom random, int count)
    {
        // The dominant real venues keep their real order; the tail is shuffled per seed.
        var real = SyntheticVocabulary.RealVenues;
        var venues = new List<(string Mpid, string Name)>();
        var used = new HashSet<string>(real.Select(v => v.Mpid), StringComparer.Ordinal);
        var tail = real.Skip(4).ToList();
        random.Shuffle(tail);
        while (4 + tail.Count < count)
        {
            var mpid = RandomLetters(random, 4);
            if (!used.Add(mpid))
            {
                continue;
            }

            var pattern = random.Pick(SyntheticVocabulary.VenuePatterns);
            var name = string.Format(CultureInfo.InvariantCulture, pattern, random.Pick(SyntheticVocabulary.VenueWords), random.Pick(SyntheticVocabulary.VenueWords));
            tail.Add((mpid, $"{mpid} {name}"));
        }

        random.Shuffle(tail);
        venues.AddRange(real.Take(Math.Min(4, count)));
        venues.AddRange(tail.Take(count - venues.Count));
        return venues.Select((v, rank) => new SyntheticVenue(v.Mpid, v.Name, rank)).ToList();
    }

    /// <summary>
    /// Decides every symbol's volume score and venue count until the rows add up exactly, and
    /// forces each venue into one random symbol so every venue of the week appears.
    /// </summary>
    private static List<SymbolPlan> PlanSymbols(DeterministicRandom random, SyntheticTierShape shape, int rows, int venueCount)
    {
        var plans = new List<SymbolPlan>();
        var remaining = rows;
        while (remaining > 0)
        {
            var z = random.NextNormal();
            var count = Math.Min(Math.Min(shape.BaseVenueCount(random) + shape.VenueBonus(z), venueCount), remaining);
            plans.Add(new SymbolPlan(z, count, -1));
            remaining -= count;
        }

        var order = Enumerable.Range(0, plans.Count).ToList();
        random.Shuffle(order);
        for (var venue = 0; venue < Math.Min(venueCount, plans.Count); venue++)
        {
            plans[order[venue]] = plans[order[venue]] with { ForcedVenue = venue };
        }

        return plans;
    }

    /// <summary>Venue ranks without replacement, weighted 1/(rank+1)²: the top venues list most symbols.</summary>
    private static void PickVenues(DeterministicRandom random, int venueCount, int count, int forced, List<int> picks)
    {
        picks.Clear();
        if (forced >= 0 && count > 0)
        {
            picks.Add(forced);
        }

        while (picks.Count < count)
        {
            var total = 0.0;
            for (var rank = 0; rank < venueCount; rank++)
            {
                total += picks.Contains(rank) ? 0 : PickWeight(rank);
            }

            var target = random.NextDouble() * total;
            var chosen = -1;
            for (var rank = 0; rank < venueCount; rank++)
            {
                if (picks.Contains(rank))
                {
                    continue;
                }

                chosen = rank;
                target -= PickWeight(rank);
                if (target < 0)
                {
                    break;
                }
            }

            picks.Add(chosen);
        }
    }

    private static double PickWeight(int rank) => 1.0 / ((rank + 1.0) * (rank + 1.0));

    /// <summary>Share weight of a venue within a symbol, 1/(rank+1)³: the top venue takes ~80 % of the volume.</summary>
    private static double VolumeWeight(int rank) => 1.0 / ((rank + 1.0) * (rank + 1.0) * (rank + 1.0));

    private static long ToCount(double value) => value >= 1e15 ? (long)1e15 : Math.Max(1, (long)Math.Round(value));

    /// <summary>
    /// Trades grow slower than shares (big volumes are block-sized trades in low-priced issues):
    /// fitted to the real OTC files, where a median row of ~4,000 shares has ~7 trades and the
    /// largest rows have thousands. At least one trade, at most one per share.
    /// </summary>
    private static long TradeCount(DeterministicRandom random, long shares)
    {
        var log10Trades = (0.6 * DeterministicRandom.Log10(shares)) - 1.25 + (0.5 * random.NextNormal());
        return Math.Clamp((long)Math.Round(DeterministicRandom.Pow10(log10Trades)), 1, shares);
    }

    private static List<string> UniqueSortedTickers(DeterministicRandom random, int count, string tier)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var tickers = new List<string>(count);
        while (tickers.Count < count)
        {
            string ticker;
            var attempts = 0;
            do
            {
                // Short tickers run out; fall back to longer ones rather than loop.
                ticker = attempts++ < 20 ? RandomTicker(random, tier) : RandomLetters(random, attempts < 40 ? 5 : 6);
            }
            while (!seen.Add(ticker));

            tickers.Add(ticker);
        }

        tickers.Sort(StringComparer.Ordinal);
        return tickers;
    }

    private static string RandomTicker(DeterministicRandom random, string tier)
    {
        var u = random.NextDouble();
        if (tier == Otc)
        {
            // Real OTC files: ~20 % four letters, the rest five, mostly foreign (F) or ADRs (Y).
            if (u < 0.2)
            {
                return RandomLetters(random, 4);
            }

            var v = random.NextDouble();
            var last = v < 0.5 ? 'F' : v < 0.85 ? 'Y' : (char)('A' + random.Next(26));
            return RandomLetters(random, 4) + last;
        }

        var length = u < 0.02 ? 1 : u < 0.12 ? 2 : u < 0.45 ? 3 : u < 0.95 ? 4 : 5;
        return RandomLetters(random, length);
    }

    private static string RandomLetters(DeterministicRandom random, int length)
    {
        Span<char> letters = stackalloc char[length];
        for (var i = 0; i < length; i++)
        {
            letters[i] = (char)('A' + random.Next(26));
        }

        return new string(letters);
    }

    private static string IssueName(DeterministicRandom random, string symbol, string tier)
    {
        // Start the name with the ticker's letter when the vocabulary has one, as issuers do.
        var firstWords = SyntheticVocabulary.IssuerFirstWords;
        var matching = 0;
        foreach (var word in firstWords)
        {
            matching += word[0] == symbol[0] ? 1 : 0;
        }

        var first = random.Pick(firstWords);
        if (matching > 0)
        {
            var nth = random.Next(matching);
            foreach (var word in firstWords)
            {
                if (word[0] == symbol[0] && nth-- == 0)
                {
                    first = word;
                    break;
                }
            }
        }

        var stem = $"{first} {random.Pick(SyntheticVocabulary.IssuerIndustries)}";
        var suffix = random.Pick(SyntheticVocabulary.CorporateSuffixes);
        var u = random.NextDouble();
        string type;
        if (u < 0.03)
        {
            // FINRA pads warrant expiries with three spaces.
            type = $"Warrant   {random.Next(1, 13):00}/{random.Next(1, 29):00}/{random.Next(2026, 2031)}";
        }
        else if (u < 0.05)
        {
            type = $"MEMBERSHIP INT SER - #{RandomLetters(random, 5)}";
        }
        else if (tier == Otc && symbol.Length == 5 && symbol[4] == 'Y')
        {
            type = random.Pick(SyntheticVocabulary.AdrTypes);
        }
        else if (tier == Otc && symbol.Length == 5 && symbol[4] == 'F')
        {
            type = random.Pick(SyntheticVocabulary.ForeignTypes);
        }
        else
        {
            type = random.Pick(SyntheticVocabulary.DomesticTypes);
        }

        var separator = random.Chance(0.05) ? "  " : " ";
        var name = suffix[0] == ',' ? $"{stem}{suffix}{separator}{type}" : $"{stem} {suffix}{separator}{type}";
        return random.Chance(0.35) ? name.ToUpperInvariant() : name;
    }
}
