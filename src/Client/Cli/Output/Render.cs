using System.Globalization;
using System.Text.Json;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Ripcord.Cli.Output;

/// <summary>Small formatting pieces shared by the commands' tables.</summary>
internal static class Render
{
    public static Table Table(params string[] columns)
    {
        var table = new Table().Border(TableBorder.None);
        foreach (var column in columns)
        {
            table.AddColumn(new TableColumn(new Text(column)) { Padding = new Padding(0, 0, 3, 0) });
        }

        return table;
    }

    // Rows take renderables, not strings: a string would be read as Spectre markup and break on '[' in ids or reasons.
    public static void Row(Table table, params string?[] cells) =>
        table.AddRow(cells.Select(cell => (IRenderable)new Text(string.IsNullOrEmpty(cell) ? "-" : cell)).ToArray());

    public static string Time(DateTimeOffset? time) =>
        time?.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture) ?? "-";

    public static string Status<TEnum>(TEnum status)
        where TEnum : struct, Enum =>
        System.Text.Json.JsonNamingPolicy.SnakeCaseLower.ConvertName(status.ToString());

    public static string Number(double value) => value.ToString("0.##", CultureInfo.InvariantCulture);

    public static string Compact(JsonElement? element) =>
        element is { ValueKind: not JsonValueKind.Null and not JsonValueKind.Undefined } value ? value.GetRawText() : "-";
}
