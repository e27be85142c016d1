namespace KafkaCdc.Bench.Common;

/// <summary>What <see cref="Sql.ContentAsync"/> found in a table.</summary>
/// <param name="Rows">Its rows.</param>
/// <param name="Checksum">The md5 over the md5 of every row's text in key order.</param>
public sealed record TableContent(long Rows, string Checksum)
{
    /// <inheritdoc />
    public override string ToString() => $"{Rows:N0} rows, checksum {Checksum}";
}
