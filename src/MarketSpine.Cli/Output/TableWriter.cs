using System.Globalization;
using CsvHelper;
using MarketSpine.Core.Contracts;
using Spectre.Console;

namespace MarketSpine.Cli.Output;

/// <summary>
/// Writes rows in the chosen format from one column definition, so the table, JSON and CSV of a
/// command always carry the same fields. JSON and CSV go to the raw output writer: the console
/// would wrap long lines to the terminal width.
/// </summary>
public sealed class TableWriter<T>(string title, IReadOnlyList<TableColumn<T>> columns)
{
    public void Write(OutputFormat format, IReadOnlyList<T> rows, IAnsiConsole console, TextWriter output, object? jsonEnvelope = null)
    {
        switch (format)
        {
            case OutputFormat.Json:
                output.WriteLine(SpineJson.Serialize(jsonEnvelope ?? rows.Select(ToDictionary)));
                break;
            case OutputFormat.Csv:
                using (var csv = CsvWriter.Create(output, new CsvWriterOptions(), leaveOpen: true))
                {
                    foreach (var column in columns)
                    {
                        csv.WriteField(column.Name);
                    }

                    csv.EndRecord();
                    foreach (var row in rows)
                    {
                        foreach (var column in columns)
                        {
                            csv.WriteField(Format(column.Value(row), forPeople: false));
                        }

                        csv.EndRecord();
                    }
                }

                break;
            default:
                var table = new Table().Title(Markup.Escape(title)).Border(TableBorder.Rounded);
                foreach (var column in columns)
                {
                    var header = new Spectre.Console.TableColumn(Markup.Escape(column.Name));
                    table.AddColumn(column.RightAligned ? header.RightAligned() : header);
                }

                foreach (var row in rows)
                {
                    table.AddRow(columns.Select(c => Markup.Escape(Truncate(Format(c.Value(row), forPeople: true), c.MaxWidth))).ToArray());
                }

                console.Write(table);
                break;
        }
    }

    public Dictionary<string, object?> ToDictionary(T row) => columns.ToDictionary(c => c.Name, c => c.Value(row));

    /// <summary>Long names are cut in tables (JSON and CSV keep them whole) so rows stay one line.</summary>
    private static string Truncate(string text, int maxWidth) => text.Length <= maxWidth ? text : text[..(maxWidth - 1)] + "…";

    /// <summary>People get thousands separators; CSV gets plain invariant numbers a program can parse.</summary>
    private static string Format(object? value, bool forPeople) => value switch
    {
        null => "",
        long l when forPeople => l.ToString("N0", CultureInfo.InvariantCulture),
        int i when forPeople => i.ToString("N0", CultureInfo.InvariantCulture),
        decimal d when forPeople => d.ToString("#,0.00##", CultureInfo.InvariantCulture),
        double d => d.ToString("0.##", CultureInfo.InvariantCulture),
        DateOnly date => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        DateTimeOffset time => time.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}

/// <summary>A column: its name (also the JSON/CSV field name) and how to read it from a row.</summary>
public sealed record TableColumn<T>(string Name, Func<T, object?> Value, bool RightAligned = false, int MaxWidth = 40);
