namespace MarketSpine.Cli.Commands;

/// <summary>The CLI's exit codes; scripts branch on them.</summary>
public static class ExitCodes
{
    public const int Ok = 0;

    /// <summary>A pipeline ran and failed, or the store failed.</summary>
    public const int Failed = 1;

    /// <summary>Bad usage or parameters: nothing ran.</summary>
    public const int Usage = 2;

    /// <summary>Interrupted (Ctrl+C), as shells report SIGINT.</summary>
    public const int Interrupted = 130;
}
