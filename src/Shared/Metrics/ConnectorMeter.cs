using System.Diagnostics.Metrics;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace KafkaCdc.Shared.Metrics;

/// <summary>
/// The <see cref="Meter"/> of one running connector and the OpenTelemetry <see cref="MeterProvider"/> that collects it
/// for Prometheus: its instruments (System.Diagnostics.Metrics) are what <c>GET /metrics</c> exports
/// (<c>ConnectorRestServer</c>), counted from the moment this is created.
/// </summary>
/// <remarks>
/// The meter is named after the connector (<c>kafkacdc.source.&lt;name&gt;</c>, <c>kafkacdc.sink.&lt;name&gt;</c>), which is
/// how the provider finds it and what the exposition shows as the <c>otel_scope_name</c> label and in <c>target_info</c>;
/// so several connectors in one process (tests) each export only their own instruments. Instrument names are the
/// Prometheus names themselves (<c>kafkacdc_sink_records_total</c>): the exporter adds no suffix, and scrapes are not
/// cached (a scrape sees every count made before it). Disposing ends the instruments and the provider.
/// </remarks>
public sealed class ConnectorMeter : IDisposable
{
    /// <summary>A meter for <paramref name="component"/> (<c>source</c>, <c>sink</c>) of the connector named <paramref name="connectorName"/>.</summary>
    public ConnectorMeter(string component, string connectorName)
    {
        Name = $"kafkacdc.{component}.{connectorName}";
        Provider = Sdk.CreateMeterProviderBuilder()
            .ConfigureResource(resource => resource.AddService(Name, serviceVersion: KafkaCdcVersion.Current))
            .AddMeter(Name)
            .AddPrometheusExporter(exporter =>
            {
                exporter.ScrapeResponseCacheDurationMilliseconds = 0;
                exporter.DisableTotalNameSuffixForCounters = true;
            })
            .Build();
        Meter = new Meter(Name, KafkaCdcVersion.Current);
    }

    /// <summary>The meter's name, which the provider subscribes to.</summary>
    public string Name { get; }

    /// <summary>The meter the connector's instruments belong to.</summary>
    public Meter Meter { get; }

    /// <summary>What collects <see cref="Meter"/> for the Prometheus scraping endpoint.</summary>
    public MeterProvider Provider { get; }

    /// <inheritdoc />
    public void Dispose()
    {
        Meter.Dispose();
        Provider.Dispose();
    }
}
