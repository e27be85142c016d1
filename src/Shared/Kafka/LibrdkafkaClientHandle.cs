using System.Runtime.InteropServices;
using System.Text;

namespace KafkaCdc.Shared.Kafka;

/// <summary>
/// A bare librdkafka client (<c>rd_kafka_t</c>) created through the C API, for the few things Confluent.Kafka
/// does not expose: hosting a mock cluster, asking for the controller id. Destroyed on dispose.
/// </summary>
public sealed class LibrdkafkaClientHandle : SafeHandle
{
    const int ProducerType = 0; // RD_KAFKA_PRODUCER

    static LibrdkafkaClientHandle() => LibrdkafkaLibrary.BindImports(typeof(LibrdkafkaClientHandle).Assembly);

    LibrdkafkaClientHandle()
        : base(IntPtr.Zero, ownsHandle: true)
    {
    }

    /// <inheritdoc />
    public override bool IsInvalid => handle == IntPtr.Zero;

    /// <summary>
    /// Creates a producer-type client with the given librdkafka properties (Confluent.Kafka's own
    /// <c>dotnet.*</c> properties are skipped). It connects to <c>bootstrap.servers</c>, if given, when needed.
    /// </summary>
    /// <exception cref="ArgumentException">librdkafka rejected a property or the client; the message says why.</exception>
    public static LibrdkafkaClientHandle CreateProducer(IEnumerable<KeyValuePair<string, string>> properties)
    {
        var conf = rd_kafka_conf_new();
        var errstr = new byte[512];
        foreach (var (name, value) in properties)
        {
            if (name.StartsWith("dotnet.", StringComparison.Ordinal)) continue;
            if (rd_kafka_conf_set(conf, name, value, errstr, (UIntPtr)errstr.Length) != 0)
            {
                rd_kafka_conf_destroy(conf);
                throw new ArgumentException($"librdkafka rejected property {name}: {Text(errstr)}", nameof(properties));
            }
        }
        var rk = rd_kafka_new(ProducerType, conf, errstr, (UIntPtr)errstr.Length);
        if (rk == IntPtr.Zero)
        {
            rd_kafka_conf_destroy(conf); // rd_kafka_new owns it only on success
            throw new ArgumentException($"librdkafka could not create a client: {Text(errstr)}", nameof(properties));
        }
        var result = new LibrdkafkaClientHandle();
        result.SetHandle(rk);
        return result;
    }

    /// <summary>
    /// The controller broker id from the cluster metadata (<c>rd_kafka_controllerid</c>), waiting up to
    /// <paramref name="timeout"/> for metadata; -1 when none arrived in time.
    /// </summary>
    public int GetControllerId(TimeSpan timeout) => rd_kafka_controllerid(this, (int)timeout.TotalMilliseconds);

    /// <inheritdoc />
    protected override bool ReleaseHandle()
    {
        rd_kafka_destroy(handle);
        return true;
    }

    static string Text(byte[] errstr)
    {
        var length = Array.IndexOf(errstr, (byte)0);
        return Encoding.UTF8.GetString(errstr, 0, length < 0 ? errstr.Length : length);
    }

    [DllImport(LibrdkafkaLibrary.ImportName)]
    static extern IntPtr rd_kafka_conf_new();

    [DllImport(LibrdkafkaLibrary.ImportName)]
    static extern void rd_kafka_conf_destroy(IntPtr conf);

    [DllImport(LibrdkafkaLibrary.ImportName)]
    static extern int rd_kafka_conf_set(IntPtr conf, [MarshalAs(UnmanagedType.LPUTF8Str)] string name,
        [MarshalAs(UnmanagedType.LPUTF8Str)] string value, byte[] errstr, UIntPtr errstrSize);

    [DllImport(LibrdkafkaLibrary.ImportName)]
    static extern IntPtr rd_kafka_new(int type, IntPtr conf, byte[] errstr, UIntPtr errstrSize);

    [DllImport(LibrdkafkaLibrary.ImportName)]
    static extern void rd_kafka_destroy(IntPtr rk);

    [DllImport(LibrdkafkaLibrary.ImportName)]
    static extern int rd_kafka_controllerid(LibrdkafkaClientHandle rk, int timeoutMs);
}
