using System.Text;
using KafkaCdc.Shared.Configuration;

namespace KafkaCdc.SinkConnector.Configuration;

/// <summary>
/// Reads <c>delete.mode</c>, its alias <c>delete.enabled</c> (Kafka Connect's JDBC sink's key: <c>false</c> is
/// <c>none</c>, <c>true</c> is <c>hard</c> or <c>soft</c>) and the soft-delete column names, reporting each problem
/// under its key: both keys set and disagreeing is one problem naming both.
/// </summary>
internal static class DeleteModeSetting
{
    /// <summary>The default <c>delete.soft.column</c>.</summary>
    public const string DefaultColumn = "__deleted";

    /// <summary>The default <c>delete.soft.timestamp.column</c>.</summary>
    public const string DefaultTimestampColumn = "__deleted_at";

    public static (DeleteMode Mode, string Column, string TimestampColumn) Read(ConfigReader config)
    {
        bool? enabled = config.String("delete.enabled") is null ? null : config.Bool("delete.enabled", true);
        DeleteMode? declared = config.String("delete.mode") is null ? null : config.Enum("delete.mode", DeleteMode.Hard);
        var mode = declared ?? (enabled == false ? DeleteMode.None : DeleteMode.Hard);
        // Unset keys are read again with the value in effect, for the start-up log line.
        if (declared is null) config.Enum("delete.mode", mode);
        if (enabled is null) config.Bool("delete.enabled", mode != DeleteMode.None);
        if (enabled is { } on && declared is { } set && on != (set != DeleteMode.None))
            config.Problem("delete.mode", $"delete.mode={ConfigReader.SnakeCase(set.ToString())} contradicts delete.enabled={(on ? "true" : "false")} " +
                "(delete.enabled is the older alias: false means delete.mode=none); set only delete.mode");

        var column = config.String("delete.soft.column");
        var timestampColumn = config.String("delete.soft.timestamp.column");
        foreach (var (key, name) in new[] { ("delete.soft.column", column), ("delete.soft.timestamp.column", timestampColumn) })
        {
            if (name is null) continue;
            if (mode != DeleteMode.Soft) config.Problem(key, $"is only used with delete.mode=soft, not {ConfigReader.SnakeCase(mode.ToString())}");
            else if (Encoding.UTF8.GetByteCount(name) > 63 || name.Contains('\0'))
                config.Problem(key, $"'{name}' is not a PostgreSQL column name (at most 63 bytes, no NUL)");
        }
        column ??= config.String("delete.soft.column", DefaultColumn)!;
        timestampColumn ??= config.String("delete.soft.timestamp.column", DefaultTimestampColumn)!;
        if (mode == DeleteMode.Soft && column == timestampColumn)
            config.Problem("delete.soft.timestamp.column", $"'{timestampColumn}' is also delete.soft.column; the flag and the time need two columns");
        return (mode, column, timestampColumn);
    }
}
