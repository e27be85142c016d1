namespace KafkaCdc.Shared.Postgres;

/// <summary>
/// A stored generated column (<c>GENERATED ALWAYS AS (…) STORED</c>), which pgoutput before PostgreSQL 18 does not
/// publish: the source describes it in the table's schema (<see cref="PgTableProperties.Generated"/>) so that a sink
/// can create it with the same expression.
/// </summary>
/// <param name="Name">The exact column name.</param>
/// <param name="Type">The type as <see cref="PgColumnType.FormattedType"/> writes it (the form of <c>kafkacdc.type</c>).</param>
/// <param name="Expression">The generation expression as <c>pg_get_expr</c> prints it (<c>(price * (qty)::numeric)</c>).</param>
public sealed record PgGeneratedColumn(string Name, string Type, string Expression)
{
    /// <summary>
    /// The columns the expression reads, from <c>pg_depend</c> (filled by <see cref="PgTypeCatalog.DescribeGeneratedColumnsAsync"/>,
    /// empty otherwise): a column whose inputs are not all published cannot be computed at the destination.
    /// </summary>
    public IReadOnlyList<string> References { get; init; } = [];
}
