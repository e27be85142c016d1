namespace KafkaCdc.Shared.Postgres;

/// <summary>How <c>numeric</c> values are represented (the <c>decimal.handling.mode</c> setting, as in Debezium). <c>money</c> is always a decimal.</summary>
public enum DecimalHandlingMode
{
    /// <summary>
    /// <c>precise</c> (the default): <c>numeric(p,s)</c> as bytes decimal(p,s), unconstrained <c>numeric</c> as
    /// <c>VariableScaleDecimal</c>; both with a string branch for <c>NaN</c>, <c>Infinity</c>, <c>-Infinity</c>. Exact.
    /// </summary>
    Precise,

    /// <summary><c>string</c>: the plain decimal text as PostgreSQL writes it. Exact.</summary>
    String,

    /// <summary><c>double</c>: the nearest double (NaN and infinities as IEEE values). Loses digits beyond about 17 significant ones.</summary>
    Double,
}
