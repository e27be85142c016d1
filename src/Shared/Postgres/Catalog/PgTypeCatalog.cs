using System.Collections.Concurrent;
using Npgsql;
using NpgsqlTypes;

namespace KafkaCdc.Shared.Postgres;

/// <summary>
/// Describes a relation's columns and their types from the system catalogs (<c>pg_attribute</c>, <c>pg_type</c>,
/// <c>pg_index</c>) through plain SQL on an ordinary connection, inside whatever transaction it has (a snapshot's
/// included). One round trip per call; type descriptions are cached per (type OID, type modifier).
/// </summary>
/// <remarks>
/// Type OIDs are per database, so use one catalog per database. Thread-safe. A type renamed or an enum recreated
/// after it was cached is only seen after <see cref="Invalidate"/>.
/// </remarks>
public sealed class PgTypeCatalog
{
    private readonly ConcurrentDictionary<(uint Oid, int Modifier), PgColumnType> _types = new();

    /// <summary>
    /// The live columns of a relation (not dropped, <c>attnum</c> &gt; 0), in attribute-number order, with the
    /// primary key from <c>indisprimary</c>. Generated columns are included and marked (see <see cref="PgColumn.IsGenerated"/>).
    /// </summary>
    /// <exception cref="InvalidOperationException">No relation has that OID.</exception>
    public async Task<IReadOnlyList<PgColumn>> DescribeRelationAsync(NpgsqlConnection connection, uint relationOid, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var cached = _types.Keys.ToArray();
        await using var batch = new NpgsqlBatch(connection);
        batch.BatchCommands.Add(Command(PgCatalogQueries.RelationExists, Oid(relationOid)));
        batch.BatchCommands.Add(Command(PgCatalogQueries.Attributes.Replace("{0}", ""), Oid(relationOid)));
        batch.BatchCommands.Add(Command(
            PgCatalogQueries.Types.Replace("{0}", PgCatalogQueries.RelationTypes),
            Oid(relationOid), Oids(cached.Select(c => c.Oid)), Modifiers(cached.Select(c => c.Modifier))));

        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        var exists = await reader.ReadAsync(cancellationToken);
        if (!exists)
        {
            throw new InvalidOperationException($"no relation has OID {relationOid} in this database");
        }

        await reader.NextResultAsync(cancellationToken);
        var attributes = await ReadAttributesAsync(reader, cancellationToken);
        await reader.NextResultAsync(cancellationToken);
        await ReadTypesAsync(reader, cancellationToken);
        return [.. attributes.Select(a => new PgColumn(a.Name, a.Number, TypeOf(a.TypeOid, a.TypeModifier, a.Dimensions), a.NotNull, a.KeyPosition, a.Generated,
            a.DefaultExpression))];
    }

    /// <summary>
    /// Describes the columns of a pgoutput Relation message: the names and types given are the truth at that point
    /// of the WAL, and the catalog fills in the rest by column name (not-null, array dimensions, primary key,
    /// domains resolved, <c>format_type</c>). A column the catalog no longer has (dropped or renamed since) is
    /// described as nullable, not in the key, with <see cref="PgColumn.AttributeNumber"/> null; a type it no longer
    /// has becomes a <see cref="PgTypeKind.Pseudo"/> <c>unknown</c> type sent as text. The relation itself may be gone.
    /// </summary>
    /// <param name="connection">An open ordinary (not replication) connection to the relation's database.</param>
    /// <param name="relationOid">The relation's OID (the message's relation id).</param>
    /// <param name="columns">The message's columns, in its order (attribute-number order).</param>
    /// <param name="cancellationToken">Cancels the query.</param>
    public async Task<IReadOnlyList<PgColumn>> DescribeColumnsAsync(
        NpgsqlConnection connection, uint relationOid, IReadOnlyList<PgRelationColumn> columns, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(columns);
        var missing = columns.Select(c => (c.TypeOid, c.TypeModifier)).Distinct().Where(t => !_types.ContainsKey(t)).ToArray();
        await using var batch = new NpgsqlBatch(connection);
        batch.BatchCommands.Add(Command(
            PgCatalogQueries.Attributes.Replace("{0}", PgCatalogQueries.AttributesNamed),
            Oid(relationOid), new NpgsqlParameter { Value = columns.Select(c => c.Name).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text }));
        batch.BatchCommands.Add(Command(
            PgCatalogQueries.Types.Replace("{0}", PgCatalogQueries.GivenTypes),
            Oids(missing.Select(m => m.TypeOid)), Modifiers(missing.Select(m => m.TypeModifier))));

        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        var attributes = (await ReadAttributesAsync(reader, cancellationToken)).ToDictionary(a => a.Name, StringComparer.Ordinal);
        await reader.NextResultAsync(cancellationToken);
        await ReadTypesAsync(reader, cancellationToken);

        var result = new List<PgColumn>(columns.Count);
        foreach (var column in columns)
        {
            if (attributes.TryGetValue(column.Name, out var a))
            {
                // attndims belongs to the catalog's type; if the type changed since, the type's own default applies.
                var dimensions = a.TypeOid == column.TypeOid ? a.Dimensions : 0;
                // The default belongs to the catalog's type too: after a type change it may no longer fit the message's.
                var defaultExpression = a.TypeOid == column.TypeOid ? a.DefaultExpression : null;
                result.Add(new PgColumn(column.Name, a.Number, TypeOf(column.TypeOid, column.TypeModifier, dimensions), a.NotNull, a.KeyPosition, a.Generated,
                    defaultExpression));
            }
            else
            {
                result.Add(new PgColumn(column.Name, null, TypeOf(column.TypeOid, column.TypeModifier, 0), false, null));
            }
        }

        return result;
    }

    /// <summary>
    /// The stored generated columns of a relation, in attribute-number order, with their types formatted as
    /// <see cref="PgColumnType.FormattedType"/>, their expressions as <c>pg_get_expr</c> prints them and the columns
    /// each reads (<see cref="PgGeneratedColumn.References"/>). Empty when the relation has none or no longer exists.
    /// One round trip.
    /// </summary>
    public async Task<IReadOnlyList<PgGeneratedColumn>> DescribeGeneratedColumnsAsync(NpgsqlConnection connection, uint relationOid, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var cached = _types.Keys.ToArray();
        await using var batch = new NpgsqlBatch(connection);
        batch.BatchCommands.Add(Command(PgCatalogQueries.GeneratedColumns, Oid(relationOid)));
        batch.BatchCommands.Add(Command(
            PgCatalogQueries.Types.Replace("{0}", PgCatalogQueries.RelationTypes),
            Oid(relationOid), Oids(cached.Select(c => c.Oid)), Modifiers(cached.Select(c => c.Modifier))));

        await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
        var rows = new List<(string Name, uint TypeOid, int TypeModifier, int Dimensions, string Expression, string[] References)>();
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add((reader.GetString(0), reader.GetFieldValue<uint>(1), reader.GetInt32(2), reader.GetInt32(3), reader.GetString(4),
                reader.GetFieldValue<string[]>(5)));
        }

        await reader.NextResultAsync(cancellationToken);
        await ReadTypesAsync(reader, cancellationToken);
        return [.. rows.Select(r => new PgGeneratedColumn(r.Name, TypeOf(r.TypeOid, r.TypeModifier, r.Dimensions).FormattedType, r.Expression)
        {
            References = r.References,
        })];
    }

    /// <summary>Forgets the cached type descriptions (e.g. after DDL renamed or recreated types).</summary>
    public void Invalidate() => _types.Clear();

    private PgColumnType TypeOf(uint oid, int modifier, int attributeDimensions)
    {
        if (!_types.TryGetValue((oid, modifier), out var type))
        {
            return new PgColumnType
            {
                Oid = oid,
                TypeModifier = modifier,
                BaseTypeOid = oid,
                BaseTypeName = "unknown",
                BaseTypeSchema = "pg_catalog",
                Kind = PgTypeKind.Pseudo,
                FormattedType = "text",
            };
        }

        return type.IsArray && attributeDimensions > 0 && attributeDimensions != type.ArrayDimensions
            ? type with { ArrayDimensions = attributeDimensions }
            : type;
    }

    private static async Task<List<Attribute>> ReadAttributesAsync(NpgsqlDataReader reader, CancellationToken cancellationToken)
    {
        var attributes = new List<Attribute>();
        while (await reader.ReadAsync(cancellationToken))
        {
            attributes.Add(new Attribute(
                reader.GetInt32(0), reader.GetString(1), reader.GetFieldValue<uint>(2), reader.GetInt32(3), reader.GetBoolean(4),
                reader.GetInt32(5), reader.GetBoolean(6), reader.IsDBNull(7) ? null : reader.GetInt32(7), reader.IsDBNull(8) ? null : reader.GetString(8)));
        }

        return attributes;
    }

    private async Task ReadTypesAsync(NpgsqlDataReader reader, CancellationToken cancellationToken)
    {
        while (await reader.ReadAsync(cancellationToken))
        {
            var isArray = reader.GetBoolean(8);
            var type = new PgColumnType
            {
                Oid = reader.GetFieldValue<uint>(0),
                TypeModifier = reader.GetInt32(1),
                BaseTypeOid = reader.GetFieldValue<uint>(2),
                BaseTypeName = reader.GetString(3),
                BaseTypeSchema = reader.GetString(4),
                Kind = KindOf(reader.GetString(5)),
                Delimiter = reader.GetString(6) is [var delimiter] ? delimiter : ',',
                BaseTypeModifier = reader.GetInt32(7),
                ArrayDimensions = isArray ? Math.Max(1, reader.GetInt32(9)) : 0,
                Domain = reader.IsDBNull(10) ? null : reader.GetString(10),
                FormattedType = reader.GetString(11),
            };
            _types[(type.Oid, type.TypeModifier)] = type;
        }
    }

    private static PgTypeKind KindOf(string typtype) => typtype switch
    {
        "e" => PgTypeKind.Enum,
        "r" => PgTypeKind.Range,
        "m" => PgTypeKind.Multirange,
        "c" => PgTypeKind.Composite,
        "p" => PgTypeKind.Pseudo,
        _ => PgTypeKind.Base,
    };

    private static NpgsqlBatchCommand Command(string sql, params NpgsqlParameter[] parameters)
    {
        var command = new NpgsqlBatchCommand(sql);
        command.Parameters.AddRange(parameters);
        return command;
    }

    private static NpgsqlParameter Oid(uint oid) => new() { Value = oid, NpgsqlDbType = NpgsqlDbType.Oid };

    private static NpgsqlParameter Oids(IEnumerable<uint> oids) =>
        new() { Value = oids.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Oid };

    private static NpgsqlParameter Modifiers(IEnumerable<int> modifiers) =>
        new() { Value = modifiers.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Integer };

    private sealed record Attribute(int Number, string Name, uint TypeOid, int TypeModifier, bool NotNull, int Dimensions, bool Generated, int? KeyPosition,
        string? DefaultExpression);
}
