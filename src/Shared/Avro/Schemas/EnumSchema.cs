using System.Text.Json.Nodes;

namespace KafkaCdc.Shared.Avro;

/// <summary>An enum: a named, ordered set of symbols, encoded as the zero-based index of the symbol.</summary>
public sealed class EnumSchema : NamedSchema
{
    private static readonly HashSet<string> Reserved = ["type", "name", "namespace", "doc", "aliases", "symbols", "default"];

    private readonly Dictionary<string, int> _indexes;

    /// <summary>Creates an enum.</summary>
    /// <param name="name">The name; a dotted name carries its namespace.</param>
    /// <param name="namespace">The namespace, or <see langword="null"/>/empty for none.</param>
    /// <param name="symbols">Distinct symbols, each a valid Avro name.</param>
    /// <param name="default">The symbol a reader uses for a writer's symbol it does not know, or <see langword="null"/>.</param>
    /// <param name="doc">Documentation, or <see langword="null"/>.</param>
    /// <param name="aliases">Alternative names.</param>
    /// <param name="properties">Custom properties.</param>
    /// <exception cref="AvroSchemaException">A name or symbol is invalid or repeated, the default is not a symbol, or a property key is reserved.</exception>
    public EnumSchema(
        string name,
        string? @namespace,
        IEnumerable<string> symbols,
        string? @default = null,
        string? doc = null,
        IEnumerable<string>? aliases = null,
        IEnumerable<KeyValuePair<string, JsonNode?>>? properties = null)
        : base(name, @namespace, doc, aliases, SchemaProperties.From(properties, Reserved, $"enum '{name}'"), "enum")
    {
        ArgumentNullException.ThrowIfNull(symbols);
        Symbols = [.. symbols];
        _indexes = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < Symbols.Count; i++)
        {
            var symbol = Symbols[i];
            if (symbol is null || !AvroNames.IsValidName(symbol))
            {
                throw new AvroSchemaException($"enum '{FullName}': invalid symbol '{symbol}' (symbols match [A-Za-z_][A-Za-z0-9_]*)");
            }

            if (!_indexes.TryAdd(symbol, i))
            {
                throw new AvroSchemaException($"enum '{FullName}': symbol '{symbol}' appears twice");
            }
        }

        if (@default is not null && !_indexes.ContainsKey(@default))
        {
            throw new AvroSchemaException($"enum '{FullName}': default '{@default}' is not one of its symbols");
        }

        Default = @default;
    }

    /// <inheritdoc />
    public override AvroType Type => AvroType.Enum;

    /// <summary>The symbols, in index order.</summary>
    public IReadOnlyList<string> Symbols { get; }

    /// <summary>The default symbol for schema resolution, or <see langword="null"/>.</summary>
    public string? Default { get; }

    /// <summary>The index of <paramref name="symbol"/>, or −1 if the enum does not have it.</summary>
    public int IndexOf(string symbol) => _indexes.TryGetValue(symbol, out var index) ? index : -1;
}
