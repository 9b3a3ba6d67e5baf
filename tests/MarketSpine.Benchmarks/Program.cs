using MarketSpine.Benchmarks.Parsing;
using MarketSpine.Benchmarks.PgLoad;
using MarketSpine.Benchmarks.RunWeek;

// One subcommand per benchmark suite, each in its own folder; add a case here for a new suite.
// Arguments after the subcommand go to the suite (BenchmarkDotNet options for "parse").
return args.Length == 0 ? Usage() : args[0] switch
{
    "parse" => ParseBenchmarksCommand.Run(args[1..]),
    "run-week" => await RunWeekBenchmark.RunAsync(args[1..]),
    "pg-load" => await PgLoadBenchmark.RunAsync(args[1..]),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("""
        Usage: dotnet run -c Release --project tests/MarketSpine.Benchmarks -- <suite> [options]

        Suites:
          parse      FINRA weekly parser (BenchmarkDotNet): a 250,000-row synthetic week in the OTC
                     and NMS Tier 1 shapes, and the real 20251215 file when ../shared/data/finra is
                     present. Options are BenchmarkDotNet's (e.g. --filter '*Real*').
          run-week   run_week end to end on fresh SQLite databases: run-week [rows...] [--iterations N]
          pg-load    bulk load of a week into PostgreSQL against psql's \copy of the same rows, and
                     run_week on PostgreSQL: pg-load [rows] [--iterations N]. Needs SPINE_TEST_POSTGRES:
                     bash scripts/with-postgres.sh dotnet run -c Release --project tests/MarketSpine.Benchmarks -- pg-load
        """);
    return 2;
}
