using Confluent.Kafka;
using KafkaCdc.Shared.Failures;
using KafkaCdc.Shared.Postgres;
using KafkaCdc.Shared.Hosting;
using KafkaCdc.Shared.Kafka;
using KafkaCdc.Shared.SchemaRegistry.Serdes;
using KafkaCdc.SinkConnector.Configuration;
using KafkaCdc.SinkConnector.Consuming;
using KafkaCdc.SinkConnector.DeadLetters;
using KafkaCdc.SinkConnector.Destination;
using KafkaCdc.SinkConnector.Errors;
using KafkaCdc.SinkConnector.Monitoring;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace KafkaCdc.SinkConnector;

/// <summary>
/// The sink process: prepares the destination (offsets and truncate tables), starts the REST endpoint and
/// <c>tasks.max</c> <see cref="SinkTask"/>s, and runs until shutdown or until a task fails, in which case the other tasks
/// finish and commit their batches in flight and stop too.
/// </summary>
public sealed class SinkWorker
{
    readonly SinkOptions _options;
    readonly ILoggerFactory _loggerFactory;
    readonly ILogger _logger;

    /// <summary>Creates the worker.</summary>
    public SinkWorker(SinkOptions options, ILoggerFactory loggerFactory)
    {
        _options = options;
        _loggerFactory = loggerFactory;
        _logger = loggerFactory.CreateLogger("KafkaCdc.SinkConnector");
        Metrics = new SinkMetrics(options.Name);
        Status = new SinkStatus(options.Name, options.GroupId, options.TasksMax, Metrics);
    }

    /// <summary>The metrics.</summary>
    public SinkMetrics Metrics { get; }

    /// <summary>The status.</summary>
    public SinkStatus Status { get; }

    /// <summary>Why the worker stopped with exit code 1, if it did.</summary>
    public Exception? Failure { get; private set; }

    /// <summary>Runs until <paramref name="shutdown"/>; returns the process exit code (0 after a clean shutdown, 1 after a failure).</summary>
    public async Task<int> RunAsync(CancellationToken shutdown)
    {
        var subscription = _options.TopicsRegex is { } regex ? $"topics matching {regex}" : string.Join(", ", _options.Topics);
        Log.Starting(_logger, _options.Name, _options.GroupId, _options.TasksMax, subscription, _options.ConnectionDisplay, _options.SchemaName);
        Log.Configuration(_logger, string.Join(", ", _options.Effective.Select(p => $"{p.Key}={p.Value}")));
        if (_options.ErrorTolerance == ErrorTolerance.All && _options.DeadLetterTopic is null) Log.NoDeadLetterTopic(_logger);

        using var registry = _options.SchemaRegistry.CreateClient();
        using var tunnel = _options.Connection.Tunnel;
        // Built once the SSH tunnel (if any) is open: the connection string points at its local port.
        NpgsqlDataSource? built = null;
        await using var closeDataSource = new AsyncDisposal(() => built);
        using var deadLetters = CreateDeadLetterQueue();
        try
        {
            await PrepareAsync(() => built ??= new NpgsqlDataSourceBuilder(_options.ConnectionString).Build(), shutdown);
        }
        catch (OperationCanceledException) when (shutdown.IsCancellationRequested)
        {
            return 0;
        }
        catch (Exception e) when (SinkErrorClassifier.Classify(e) != FailureKind.Transient)
        {
            var reason = await PgTlsDiagnosis.DescribeAsync(e, _options.Connection, CancellationToken.None);
            return Fail(new SinkTaskFailedException($"cannot prepare the destination {_options.ConnectionDisplay} schema {_options.SchemaName}: {reason}", null, e));
        }
        var dataSource = built!;

        using var meter = Metrics; // the instruments end with the run (a meter outlives nothing it measures)
        await using var rest = await ConnectorRestServer.StartAsync(_options.RestPort, Status.Health, Status.Document, Metrics.Meter, _loggerFactory, shutdown);
        if (rest is not null) Log.RestListening(_logger, rest.Port);

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(shutdown);
        var context = new SinkTaskContext(_options, dataSource, new AvroDeserializer(registry), deadLetters, Metrics, Status, _loggerFactory);
        var tasks = Enumerable.Range(0, _options.TasksMax).Select(i => new SinkTask(i, context)).ToList();
        foreach (var task in tasks) task.Start(stop.Token);

        // Once the tasks are asked to stop (shutdown, or another task failed) they get task.shutdown.graceful.timeout.ms:
        // a batch blocked on a lock, or a commit to a broker that is gone, must not keep the process alive. Exiting
        // then loses nothing: an unfinished transaction rolls back and its records are delivered again.
        var graceOver = new TaskCompletionSource();
        await using var grace = stop.Token.Register(() => _ = Task.Delay(_options.ShutdownTimeout).ContinueWith(_ => graceOver.TrySetResult(), TaskScheduler.Default));
        var running = tasks.Select(t => t.Completion).ToList();
        while (running.Count > 0)
        {
            var done = await Task.WhenAny([.. running, graceOver.Task]);
            if (done == graceOver.Task)
            {
                Log.ShutdownTimedOut(_logger, _options.ShutdownTimeout.TotalMilliseconds, string.Join(", ", tasks.Where(t => running.Contains(t.Completion)).Select(t => t.Id)));
                break;
            }
            running.Remove(done);
            if (done.IsFaulted && Failure is null)
            {
                Failure = done.Exception!.InnerException;
                await stop.CancelAsync();
            }
        }
        var exitCode = Failure is null ? 0 : 1;
        Log.Stopped(_logger, exitCode);
        return exitCode;
    }

    int Fail(Exception failure)
    {
        Failure = failure;
        Log.SinkFailed(_logger, failure.Message, failure);
        Log.Stopped(_logger, 1);
        return 1;
    }

    /// <summary>
    /// Opens the SSH tunnel (if any), creates the offsets, truncate and snapshot tables, and the dead-letter topic when one is
    /// configured, retrying while the SSH server, the destination or the brokers are unreachable.
    /// </summary>
    async Task PrepareAsync(Func<NpgsqlDataSource> dataSource, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await _options.Connection.EnsureReachableAsync(_logger, cancellationToken);
                await using (var connection = await dataSource().OpenConnectionAsync(cancellationToken))
                {
                    await new SinkOffsetsTable(_options.SchemaName, _options.GroupId).EnsureAsync(connection, cancellationToken);
                    await new TruncateBarrier(_options.SchemaName).EnsureAsync(connection, cancellationToken);
                    await new SinkSnapshotsTable(_options.SchemaName).EnsureAsync(connection, cancellationToken);
                }
                if (_options.DeadLetterTopic is { } deadLetters)
                {
                    var config = _options.Kafka.CreateAdminClientConfig();
                    config.Set("log_level", "3"); // consumer-only kafka.* keys would each draw a warning from an admin client
                    using var provisioner = new KafkaTopicProvisioner(config, _logger);
                    await provisioner.EnsureTopicsAsync([deadLetters], cancellationToken);
                }
                return;
            }
            catch (Exception e) when (SinkErrorClassifier.Classify(e) == FailureKind.Transient && !cancellationToken.IsCancellationRequested)
            {
                var delay = _options.RetryBackoff.Delay(attempt);
                Log.PrepareRetry(_logger, delay.TotalMilliseconds, e);
                await Task.Delay(delay, cancellationToken);
            }
        }
    }

    DeadLetterQueue CreateDeadLetterQueue()
    {
        if (_options.DeadLetterTopic is null) return new DeadLetterQueue(null, null, _options.Name, _logger, Metrics);
        var config = _options.Kafka.CreateProducerConfig(KafkaOwnedProperties.IdempotentProducer);
        if (!_options.Kafka.Properties.ContainsKey("client.id")) config.ClientId = $"kafkacdc-sink-{_options.Name}-dlq";
        var producer = new ProducerBuilder<byte[]?, byte[]?>(config).SetLogger(_logger).Build();
        return new DeadLetterQueue(_options.DeadLetterTopic, producer, _options.Name, _logger, Metrics);
    }

    /// <summary>Disposes what <paramref name="target"/> returns at the end of a scope, if anything.</summary>
    sealed class AsyncDisposal(Func<IAsyncDisposable?> target) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            if (target() is { } disposable) await disposable.DisposeAsync();
        }
    }
}
