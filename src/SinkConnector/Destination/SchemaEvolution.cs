using System.Text.RegularExpressions;
using KafkaCdc.Shared.Failures;
using KafkaCdc.Shared.Postgres;
using KafkaCdc.SinkConnector.Configuration;
using KafkaCdc.SinkConnector.Errors;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace KafkaCdc.SinkConnector.Destination;

/// <summary>
/// Makes a destination table fit a <see cref="RecordShape"/> (the applying stage then binds the two). With
/// <c>schema.evolution=basic</c> a missing table is created (columns in record order, the primary key per
/// <c>primary.key.mode</c>, each column with the source's type from <c>kafkacdc.type</c>, or <c>text</c> when that type
/// does not exist here) and missing columns are added, nullable, with the source's constant default; a column the source
/// widened (<see cref="PgTypeWidening"/>: <c>integer</c> → <c>bigint</c>, a longer <c>varchar</c>, more numeric
/// precision) is widened here too, and a NOT NULL column the records no longer carry (dropped or renamed at the source)
/// becomes nullable, so the rows written from then on can leave it NULL. Records whose type the destination column
/// already widens (written before the widening, read from another partition or replayed) fit as they are. The source's
/// stored generated columns (<see cref="RecordShape.GeneratedColumns"/>) are created after the others, or added, with
/// the same expression (<c>GENERATED ALWAYS AS (…) STORED</c>: PostgreSQL computes existing rows), once
/// <see cref="PgGenerationExpression"/> admits it; a column of that name here is left alone. It never drops a column,
/// narrows or otherwise changes a type, or changes the primary key: such records get a
/// <see cref="SchemaMismatchException"/> naming the table, the column and the difference. With <c>none</c> the table
/// must exist and match. With <c>delete.mode=soft</c> it also creates or adds the <see cref="SoftDeleteColumns"/>
/// (under <c>none</c> they must exist), and refuses records carrying a field of their names.
/// </summary>
/// <remarks>
/// DDL runs in the batch's transaction under the table's exclusive advisory lock (<see cref="TableLocks"/>), after
/// re-reading the catalog, so two tasks or processes seeing a new table or column at once create it once. Without DDL
/// the table's shared lock is taken, then its truncate barrier read. A column the records lack is fine (it was added at
/// the destination later or dropped at the source: new rows get NULL or its default); under <c>none</c>, or when it is
/// part of the primary key, it must not be NOT NULL without a default. Types declared by the records are checked only when they carry <c>kafkacdc.type</c>; types derived from
/// other producers' Avro types are left to the server-side cast.
/// </remarks>
public sealed partial class SchemaEvolution
{
    readonly string _schema;
    readonly SchemaEvolutionMode _mode;
    readonly InsertMode _insertMode;
    readonly SoftDeleteColumns? _softDelete;
    readonly ILogger _logger;

    /// <summary>Creates the evolution rules for <paramref name="options"/>.</summary>
    public SchemaEvolution(SinkOptions options, ILogger logger)
    {
        _schema = options.SchemaName;
        _mode = options.SchemaEvolution;
        _insertMode = options.InsertMode;
        _softDelete = SoftDeleteColumns.For(options);
        _logger = logger;
    }

    /// <summary>
    /// The shape's table, after creating or extending it as needed, with the table's advisory lock held; null when the
    /// shape comes from a key alone (a tombstone) and the table does not exist.
    /// </summary>
    /// <exception cref="SchemaMismatchException">The table cannot take these records.</exception>
    /// <exception cref="UnwritableRecordException">A declared type is not a type name.</exception>
    public async Task<DestinationTable?> FitAsync(DestinationSession session, ApplyTransaction transaction, RecordShape shape, CancellationToken cancellationToken)
    {
        var qualified = PgIdentifier.Quote(_schema, shape.Table);
        var table = await session.TableAsync(transaction, _schema, shape.Table, cancellationToken);

        var plan = MakePlan(shape, table, qualified);
        if (plan.HasDdl)
        {
            if (!shape.HasRowSchema) return null;
            await TableLocks.LockExclusiveAsync(transaction, qualified, cancellationToken);
            table = await session.Catalog.DescribeAsync(transaction.Connection, _schema, shape.Table, cancellationToken);
            plan = MakePlan(shape, table, qualified);
            if (plan.HasDdl)
            {
                await ApplyAsync(transaction, shape, qualified, plan, cancellationToken);
                table = await session.Catalog.DescribeAsync(transaction.Connection, _schema, shape.Table, cancellationToken)
                    ?? throw new InvalidOperationException($"table {qualified} is missing right after it was created");
            }
            session.Tables[shape.Table] = table;
        }
        else
        {
            await TableLocks.LockSharedAsync(transaction, qualified, cancellationToken);
        }

        return table!;
    }

    Plan MakePlan(RecordShape shape, DestinationTable? table, string qualified)
    {
        if (_softDelete?.Collisions(shape).ToList() is { Count: > 0 } collisions) throw new SchemaMismatchException(qualified, collisions);
        if (table is null)
        {
            if (_mode == SchemaEvolutionMode.None && shape.HasRowSchema)
                throw new SchemaMismatchException(qualified, ["the table does not exist, and schema.evolution=none does not create it"]);
            var refused = shape.GeneratedColumns.Select(Refusal).OfType<string>().ToList();
            if (refused.Count > 0) throw new SchemaMismatchException(qualified, refused);
            return new Plan(Create: true, [], [], [], _softDelete?.Definitions.ToList() ?? []);
        }

        var differences = new List<string>();
        if (shape.HasPrimaryKey)
        {
            var wanted = shape.PrimaryKey.Select(i => shape.Columns[i].Name).ToList();
            if (table.PrimaryKey.Count == 0 && _insertMode == InsertMode.Upsert)
                differences.Add($"it has no primary key, but upserts need one: the records' key is {shape.PrimaryKeyText} (the sink never changes primary keys)");
            else if (table.PrimaryKey.Count > 0 && !table.PrimaryKey.SequenceEqual(wanted, StringComparer.Ordinal))
                differences.Add($"its primary key is ({string.Join(", ", table.PrimaryKey)}), the records' key is {shape.PrimaryKeyText} (the sink never changes primary keys)");
        }

        var add = new List<ShapeColumn>();
        var widen = new List<ShapeColumn>();
        foreach (var column in shape.Columns)
        {
            var existing = table.Find(column.Name);
            if (existing is null)
            {
                if (_mode == SchemaEvolutionMode.None) differences.Add($"column \"{column.Name}\" ({column.SqlType}) is missing, and schema.evolution=none does not add it");
                else if (shape.PrimaryKey.Any(i => shape.Columns[i] == column)) differences.Add($"primary key column \"{column.Name}\" is missing (the sink never changes primary keys)");
                else add.Add(column);
            }
            else if (existing.IsGenerated)
            {
                differences.Add($"column \"{column.Name}\" is generated here, but the records carry its values (DROP EXPRESSION at the source? " +
                    $"the sink never alters a generated column: run ALTER TABLE {qualified} ALTER COLUMN {PgIdentifier.Quote(column.Name)} DROP EXPRESSION here)");
            }
            else if (column.HasDeclaredType && existing.Type != column.SqlType && existing.Type != FallbackType(column)
                     && !PgTypeWidening.IsSafe(column.SqlType, existing.Type))
            {
                // (Records older than a widening already made here, from another partition or a replay, fit as they are.)
                if (_mode == SchemaEvolutionMode.Basic && PgTypeWidening.IsSafe(existing.Type, column.SqlType)) widen.Add(column);
                else differences.Add($"column \"{column.Name}\" is {existing.Type} here but {column.SqlType} in the records (the sink changes a column's type only to widen it without losing values)");
            }
        }

        foreach (var column in shape.GeneratedColumns)
        {
            // A column of that name here, generated or not, is left alone: the sink never alters or drops one.
            if (table.Find(column.Name) is not null) continue;
            if (_mode == SchemaEvolutionMode.None) differences.Add($"generated column \"{column.Name}\" ({column.SqlType} GENERATED ALWAYS AS ({column.GenerationExpression}) STORED) is missing, and schema.evolution=none does not add it");
            else if (Refusal(column) is { } refusal) differences.Add(refusal);
            else add.Add(column);
        }

        var relax = new List<string>();
        if (shape.HasRowSchema)
        {
            foreach (var column in table.Columns)
            {
                if (!column.IsNotNull || column.HasDefault || shape.Columns.Any(c => c.Name == column.Name)) continue;
                if (column.Name == _softDelete?.Flag) continue;
                // Dropped (or renamed) at the source: the column stays here, and rows written from now on leave it NULL.
                if (_mode == SchemaEvolutionMode.Basic && !table.PrimaryKey.Contains(column.Name, StringComparer.Ordinal)) relax.Add(column.Name);
                else differences.Add($"column \"{column.Name}\" is NOT NULL without a default, and the records do not carry it (dropped at the source? the sink never drops columns: drop it or give it a default)");
            }
        }

        var soft = _softDelete is null ? [] : SoftDeleteMissing(table, differences);
        if (differences.Count > 0) throw new SchemaMismatchException(qualified, differences);
        return new Plan(Create: false, add, widen, relax, soft);
    }

    async Task ApplyAsync(ApplyTransaction transaction, RecordShape shape, string qualified, Plan plan, CancellationToken cancellationToken)
    {
        var columns = plan.Create ? [.. shape.Columns, .. shape.GeneratedColumns] : plan.AddColumns;
        var types = await ResolveTypesAsync(transaction, columns, cancellationToken);
        string sql;
        if (plan.Create)
        {
            var definitions = columns.Select((c, i) => $"{PgIdentifier.Quote(c.Name)} {types[i]}{DefaultClause(c, types[i])}{(c.IsNotNull ? " NOT NULL" : "")}")
                .Concat(plan.SoftDeleteColumns).ToList();
            if (shape.HasPrimaryKey) definitions.Add($"PRIMARY KEY ({string.Join(", ", shape.PrimaryKey.Select(i => PgIdentifier.Quote(shape.Columns[i].Name)))})");
            sql = $"CREATE TABLE {qualified} ({string.Join(", ", definitions)})";
        }
        else
        {
            // Widened types are the source's, already checked by the type grammar and PgTypeWidening.
            var changes = columns.Select((c, i) => $"ADD COLUMN IF NOT EXISTS {PgIdentifier.Quote(c.Name)} {types[i]}{DefaultClause(c, types[i])}")
                .Concat(plan.WidenColumns.Select(c => $"ALTER COLUMN {PgIdentifier.Quote(c.Name)} TYPE {c.SqlType}"))
                .Concat(plan.RelaxColumns.Select(c => $"ALTER COLUMN {PgIdentifier.Quote(c)} DROP NOT NULL"))
                .Concat(plan.SoftDeleteColumns.Select(d => $"ADD COLUMN IF NOT EXISTS {d}"));
            sql = $"ALTER TABLE {qualified} {string.Join(", ", changes)}";
        }

        try
        {
            await using var command = transaction.Command(sql);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (PostgresException e) when (columns.Any(c => c.GenerationExpression is not null)
            && PgErrorClassification.ClassifySqlState(e.SqlState) != FailureKind.Transient)
        {
            // Most likely an expression using what this database lacks (a function, an operator, a column): the
            // record's fault, not a stale catalog (42703 and 42P01, which the sink's classifier retries).
            var generated = string.Join(", ", columns.Where(c => c.GenerationExpression is not null)
                .Select(c => $"\"{c.Name}\" {c.SqlType} GENERATED ALWAYS AS ({c.GenerationExpression}) STORED"));
            throw new SchemaMismatchException(qualified,
                [$"creating the generated column(s) {generated} failed: {e.MessageText} (SQLSTATE {e.SqlState}); what an expression uses must exist here as at the source"], e);
        }
        if (plan.Create) Log.TableCreated(_logger, qualified, columns.Count, shape.PrimaryKeyText);
        else
        {
            if (columns.Count > 0 || plan.SoftDeleteColumns.Count > 0)
                Log.ColumnsAdded(_logger, qualified, string.Join(", ", columns.Select(c => $"\"{c.Name}\" {c.SqlType}").Concat(plan.SoftDeleteColumns)));
            if (plan.WidenColumns.Count > 0) Log.ColumnsWidened(_logger, qualified, string.Join(", ", plan.WidenColumns.Select(c => $"\"{c.Name}\" to {c.SqlType}")));
            if (plan.RelaxColumns.Count > 0) Log.ColumnsMadeNullable(_logger, qualified, string.Join(", ", plan.RelaxColumns.Select(c => $"\"{c}\"")));
        }
    }

    /// <summary>
    /// <c> DEFAULT …</c> with the source column's constant default (<c>kafkacdc.default</c>), so that rows the source
    /// never sent again after an <c>ADD COLUMN … DEFAULT</c> read the same here; a column that falls back to <c>text</c>
    /// gets the constant's literal without the cast (which names a type this database lacks): the value's text. For a
    /// generated column, its <c> GENERATED ALWAYS AS (…) STORED</c>: the plan refused expressions
    /// <see cref="PgGenerationExpression"/> does not admit, checked again here, where the expression enters the DDL.
    /// </summary>
    static string DefaultClause(ShapeColumn column, string type) =>
        column.GenerationExpression is { } expression
            ? PgGenerationExpression.IsSafe(expression, out var reason)
                ? $" GENERATED ALWAYS AS ({expression}) STORED"
                : throw new InvalidOperationException($"generated column \"{column.Name}\" reached the DDL with a refused expression: {reason}")
            : column.Definition?.Default is not { } constant ? ""
            : type == column.SqlType ? $" DEFAULT {constant}"
            : $" DEFAULT {PgConstantDefault.Literal(constant)}";

    /// <summary>Why a generated column's expression may not reach the DDL (<see cref="PgGenerationExpression"/>), or null.</summary>
    static string? Refusal(ShapeColumn column) =>
        column.GenerationExpression is { } expression && !PgGenerationExpression.IsSafe(expression, out var reason)
            ? $"generated column \"{column.Name}\" is not created: its expression ({expression}) is refused, {reason} (the sink runs a single expression only)"
            : null;

    /// <summary>
    /// The type of each column to create: its declared type when this server has it, else <c>text</c> (<c>text[]</c>),
    /// which holds any type's text output. Declared types are checked against a type-name grammar (nothing else can
    /// reach the DDL) and then by the server's own parser (<c>to_regtype</c>) inside a savepoint.
    /// </summary>
    async Task<List<string>> ResolveTypesAsync(ApplyTransaction transaction, IReadOnlyList<ShapeColumn> columns, CancellationToken cancellationToken)
    {
        foreach (var column in columns)
        {
            if (!TypeName().IsMatch(column.SqlType))
                throw new UnwritableRecordException($"column \"{column.Name}\": '{column.SqlType}' (kafkacdc.type) is not a PostgreSQL type name");
        }

        var names = columns.Select(c => c.SqlType).Distinct(StringComparer.Ordinal).ToArray();
        var exists = new Dictionary<string, bool>(StringComparer.Ordinal);
        await using (var savepoint = transaction.Command("SAVEPOINT kafkacdc_types")) await savepoint.ExecuteNonQueryAsync(cancellationToken);
        try
        {
            await using var command = transaction.Command("SELECT t, pg_catalog.to_regtype(t) IS NOT NULL FROM unnest($1::text[]) AS t");
            command.Parameters.Add(new NpgsqlParameter { Value = names });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken)) exists[reader.GetString(0)] = reader.GetBoolean(1);
        }
        catch (PostgresException e)
        {
            await using var rollback = transaction.Command("ROLLBACK TO SAVEPOINT kafkacdc_types");
            await rollback.ExecuteNonQueryAsync(cancellationToken);
            throw new UnwritableRecordException($"the records declare a type PostgreSQL cannot parse ({string.Join(", ", names)}): {e.MessageText}", e);
        }
        await using (var release = transaction.Command("RELEASE SAVEPOINT kafkacdc_types")) await release.ExecuteNonQueryAsync(cancellationToken);

        var types = new List<string>(columns.Count);
        foreach (var column in columns)
        {
            if (exists.GetValueOrDefault(column.SqlType))
            {
                types.Add(column.SqlType);
                continue;
            }
            var fallback = FallbackType(column);
            Log.TypeFallback(_logger, column.Name, column.SqlType, fallback);
            types.Add(fallback);
        }
        return types;
    }

    static string FallbackType(ShapeColumn column) =>
        column.Definition is { IsUserDefinedType: true } definition ? definition.FallbackSqlType
        : column.SqlType.EndsWith("[]", StringComparison.Ordinal) ? "text[]" : "text";

    /// <summary>
    /// A type name as <c>format_type</c> writes it: a (possibly schema-qualified, possibly quoted) name, the words of
    /// multi-word types, one modifier list of integers, array brackets. No other token can appear.
    /// </summary>
    [GeneratedRegex("""
        ^(?:[A-Za-z_][A-Za-z0-9_$]*|"(?:[^"\x00]|"")+")(?:\.(?:[A-Za-z_][A-Za-z0-9_$]*|"(?:[^"\x00]|"")+"))?
        (?:\x20(?:with|without|time|zone|varying|precision|year|month|day|hour|minute|second|to))*
        (?:\(-?[0-9]{1,10}(?:,-?[0-9]{1,10})?\))?
        (?:\x20(?:with|without|time|zone|varying|precision|year|month|day|hour|minute|second|to))*
        (?:\[[0-9]*\])*$
        """, RegexOptions.IgnorePatternWhitespace | RegexOptions.IgnoreCase)]
    private static partial Regex TypeName();

    readonly record struct Plan(bool Create, List<ShapeColumn> AddColumns, List<ShapeColumn> WidenColumns, List<string> RelaxColumns,
        List<string> SoftDeleteColumns)
    {
        public bool HasDdl => Create || AddColumns.Count > 0 || WidenColumns.Count > 0 || RelaxColumns.Count > 0 || SoftDeleteColumns.Count > 0;
    }
}
