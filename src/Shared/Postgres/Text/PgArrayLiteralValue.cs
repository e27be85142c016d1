namespace KafkaCdc.Shared.Postgres;

/// <summary>A parsed array literal: see <see cref="PgArrayLiteral.Parse"/>.</summary>
/// <param name="Elements">
/// The top-level items: for a one-dimensional array the element texts (<see langword="null"/> for <c>NULL</c>), for
/// more dimensions <see cref="List{T}"/>s of the next level down.
/// </param>
/// <param name="Dimensions">The number of dimensions; 0 for the empty array <c>{}</c>.</param>
/// <param name="HasExplicitBounds">Whether the literal starts with dimension bounds (<c>[2:3]=</c>), which <c>array_out</c> writes only when a lower bound is not 1.</param>
public sealed record PgArrayLiteralValue(IReadOnlyList<object?> Elements, int Dimensions, bool HasExplicitBounds);
