namespace KafkaCdc.Shared.Avro;

/// <summary>Pre-boxed booleans and small integers, so that decoding common values does not allocate.</summary>
internal static class Boxes
{
    private const int Min = -128;
    private const int Max = 1023;

    public static readonly object True = true;
    public static readonly object False = false;

    private static readonly object[] Ints = Enumerable.Range(Min, Max - Min + 1).Select(i => (object)i).ToArray();
    private static readonly object[] Longs = Enumerable.Range(Min, Max - Min + 1).Select(i => (object)(long)i).ToArray();

    public static object Int(int value) => value is >= Min and <= Max ? Ints[value - Min] : value;

    public static object Long(long value) => value is >= Min and <= Max ? Longs[value - Min] : value;
}
