using System.Runtime.InteropServices;
using System.Text;

namespace KafkaCdc.Shared.Kafka;

/// <summary>
/// librdkafka's configuration API (rdkafka.h), used to check client properties the way librdkafka itself
/// will, without creating a client and therefore without connecting anywhere.
/// </summary>
internal static class LibrdkafkaConfNative
{
    /// <summary><c>rd_kafka_conf_res_t</c>.</summary>
    internal enum ConfResult
    {
        Unknown = -2,
        Invalid = -1,
        Ok = 0,
    }

    static LibrdkafkaConfNative() => LibrdkafkaLibrary.BindImports(typeof(LibrdkafkaConfNative).Assembly);

    /// <summary>
    /// Sets <paramref name="name"/> on a fresh configuration object and returns librdkafka's verdict and
    /// message (empty when accepted).
    /// </summary>
    internal static (ConfResult Result, string Message) TrySet(string name, string value)
    {
        var conf = rd_kafka_conf_new();
        try
        {
            var errstr = new byte[512];
            var result = rd_kafka_conf_set(conf, name, value, errstr, (UIntPtr)errstr.Length);
            var length = Array.IndexOf(errstr, (byte)0);
            return (result, Encoding.UTF8.GetString(errstr, 0, length < 0 ? errstr.Length : length));
        }
        finally
        {
            rd_kafka_conf_destroy(conf);
        }
    }

    [DllImport(LibrdkafkaLibrary.ImportName)]
    static extern IntPtr rd_kafka_conf_new();

    [DllImport(LibrdkafkaLibrary.ImportName)]
    static extern void rd_kafka_conf_destroy(IntPtr conf);

    [DllImport(LibrdkafkaLibrary.ImportName)]
    static extern ConfResult rd_kafka_conf_set(
        IntPtr conf,
        [MarshalAs(UnmanagedType.LPUTF8Str)] string name,
        [MarshalAs(UnmanagedType.LPUTF8Str)] string value,
        byte[] errstr,
        UIntPtr errstrSize);
}
