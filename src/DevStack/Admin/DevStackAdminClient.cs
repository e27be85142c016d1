using System.Globalization;
using System.Net.Http.Json;
using Confluent.Kafka;
using KafkaCdc.DevStack.Kafka;

namespace KafkaCdc.DevStack.Admin;

/// <summary>
/// A typed client for the dev stack's admin endpoint (<see cref="DevStackVariables.AdminUrl"/>), for tests
/// that inject faults into the Kafka mock cluster running in the dev stack process.
/// </summary>
/// <remarks>Refused requests throw <see cref="DevStackAdminException"/> with the endpoint's message.</remarks>
public sealed class DevStackAdminClient : IDisposable
{
    readonly HttpClient _http;

    /// <summary>Creates a client for the endpoint at <paramref name="baseUrl"/>.</summary>
    public DevStackAdminClient(Uri baseUrl)
    {
        _http = new HttpClient { BaseAddress = baseUrl, Timeout = TimeSpan.FromSeconds(30) };
    }

    /// <summary>The endpoint's base URL.</summary>
    public Uri BaseUrl => _http.BaseAddress!;

    /// <summary>Every broker's state.</summary>
    public async Task<IReadOnlyList<MockBroker>> GetBrokersAsync(CancellationToken cancellationToken = default) =>
        await ReadAsync<List<MockBroker>>(await _http.GetAsync("brokers", cancellationToken), cancellationToken);

    /// <summary>Takes a broker down: its connections are closed and new ones refused.</summary>
    public async Task<MockBroker> SetBrokerDownAsync(int brokerId, CancellationToken cancellationToken = default) =>
        await ReadAsync<MockBroker>(await _http.PostAsync($"brokers/{brokerId}/down", null, cancellationToken), cancellationToken);

    /// <summary>Brings a broker back up.</summary>
    public async Task<MockBroker> SetBrokerUpAsync(int brokerId, CancellationToken cancellationToken = default) =>
        await ReadAsync<MockBroker>(await _http.PostAsync($"brokers/{brokerId}/up", null, cancellationToken), cancellationToken);

    /// <summary>Delays every response of a broker by <paramref name="rtt"/>.</summary>
    public async Task<MockBroker> SetBrokerRttAsync(int brokerId, TimeSpan rtt, CancellationToken cancellationToken = default) =>
        await ReadAsync<MockBroker>(await _http.PutAsJsonAsync($"brokers/{brokerId}/rtt",
            new BrokerRttRequest((int)rtt.TotalMilliseconds), AdminJson.Options, cancellationToken), cancellationToken);

    /// <summary>Makes the next requests of type <paramref name="apiKey"/> fail with <paramref name="errors"/>, in order.</summary>
    public async Task PushRequestErrorsAsync(KafkaApiKey apiKey, IReadOnlyList<ErrorCode> errors, CancellationToken cancellationToken = default) =>
        await EnsureSuccessAsync(await _http.PostAsJsonAsync("request-errors",
            new RequestErrorsRequest(apiKey, errors), AdminJson.Options, cancellationToken), cancellationToken);

    /// <summary>Drops the errors pushed for <paramref name="apiKey"/> that no request consumed yet.</summary>
    public async Task ClearRequestErrorsAsync(KafkaApiKey apiKey, CancellationToken cancellationToken = default) =>
        await EnsureSuccessAsync(await _http.DeleteAsync($"request-errors/{apiKey}", cancellationToken), cancellationToken);

    /// <summary>Creates a topic (the mock cluster has no CreateTopics API).</summary>
    public async Task CreateTopicAsync(string name, int partitions, CancellationToken cancellationToken = default) =>
        await EnsureSuccessAsync(await _http.PostAsJsonAsync("topics",
            new CreateTopicRequest(name, partitions), AdminJson.Options, cancellationToken), cancellationToken);

    /// <summary>Moves a partition's leadership to <paramref name="brokerId"/>.</summary>
    public async Task SetPartitionLeaderAsync(string topic, int partition, int brokerId, CancellationToken cancellationToken = default) =>
        await EnsureSuccessAsync(await _http.PutAsJsonAsync(
            $"topics/{Uri.EscapeDataString(topic)}/partitions/{partition.ToString(CultureInfo.InvariantCulture)}/leader",
            new PartitionLeaderRequest(brokerId), AdminJson.Options, cancellationToken), cancellationToken);

    /// <summary>Deletes the partition's records before <paramref name="beforeOffset"/> (as Kafka's DeleteRecords or retention would).</summary>
    public async Task DeleteRecordsAsync(string topic, int partition, long beforeOffset, CancellationToken cancellationToken = default) =>
        await EnsureSuccessAsync(await _http.PostAsJsonAsync(
            $"topics/{Uri.EscapeDataString(topic)}/partitions/{partition.ToString(CultureInfo.InvariantCulture)}/delete-records",
            new DeleteRecordsRequest(beforeOffset), AdminJson.Options, cancellationToken), cancellationToken);

    /// <summary>Undoes all fault injection: every broker up, no RTT, no pending request errors.</summary>
    public async Task ResetAsync(CancellationToken cancellationToken = default) =>
        await EnsureSuccessAsync(await _http.PostAsync("reset", null, cancellationToken), cancellationToken);

    /// <inheritdoc />
    public void Dispose() => _http.Dispose();

    static async Task<T> ReadAsync<T>(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        await EnsureSuccessAsync(response, cancellationToken);
        return await response.Content.ReadFromJsonAsync<T>(AdminJson.Options, cancellationToken)
            ?? throw new DevStackAdminException(response.StatusCode, "empty response body");
    }

    static async Task EnsureSuccessAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode) return;
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        string message;
        try
        {
            message = System.Text.Json.JsonSerializer.Deserialize<AdminError>(body, AdminJson.Options)?.Error ?? body;
        }
        catch (System.Text.Json.JsonException)
        {
            message = body;
        }
        throw new DevStackAdminException(response.StatusCode,
            $"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri} answered {(int)response.StatusCode}: {message}");
    }
}
