using System.Collections;
using MarketSpine.Cli;
using Spectre.Console;

// On a pipe or in CI: no colours, no live widgets, and wide lines instead of 80-column wrapping.
var redirected = Console.IsOutputRedirected;
var console = AnsiConsole.Create(new AnsiConsoleSettings
{
    Ansi = redirected ? AnsiSupport.No : AnsiSupport.Detect,
    ColorSystem = redirected ? ColorSystemSupport.NoColors : ColorSystemSupport.Detect,
    Interactive = redirected ? InteractionSupport.No : InteractionSupport.Detect,
});
if (redirected)
{
    console.Profile.Width = 200;
}

var environment = Environment.GetEnvironmentVariables().Cast<DictionaryEntry>()
    .ToDictionary(e => (string)e.Key, e => (string?)e.Value, StringComparer.Ordinal);
return await new CliApp(console, Console.Out, Console.Error, Directory.GetCurrentDirectory(), environment).RunAsync(args);
