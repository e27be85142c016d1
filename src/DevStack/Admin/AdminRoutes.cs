using System.Globalization;
using System.Text.Json;
using Confluent.Kafka;
using KafkaCdc.DevStack.Kafka;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;

namespace KafkaCdc.DevStack.Admin;

/// <summary>
/// The admin endpoint's routes, fault injection into the <see cref="MockKafkaCluster"/>. JSON in and out
/// (<see cref="AdminJson"/>); a bad request gets 400 with <see cref="AdminError"/>.
/// </summary>
/// <remarks>
/// <code>
/// GET    /brokers                                    → 200 [{"id":1,"isUp":true,"rttMilliseconds":0}, ...]
/// POST   /brokers/{id}/down                          → 200 broker
/// POST   /brokers/{id}/up                            → 200 broker
/// PUT    /brokers/{id}/rtt         {"rttMs":500}     → 200 broker
/// POST   /request-errors           {"apiKey":"Produce","errors":["NotEnoughReplicas"]} → 204
/// DELETE /request-errors/{apiKey}                    → 204
/// POST   /topics                   {"name":"t","partitions":4} → 201 (409 if it exists)
/// PUT    /topics/{topic}/partitions/{partition}/leader {"brokerId":2} → 204
/// POST   /topics/{topic}/partitions/{partition}/delete-records {"beforeOffset":1000} → 204 (the log starts there)
/// POST   /reset                                      → 204 (all brokers up, no RTT, no pending errors)
/// </code>
/// </remarks>
internal static class AdminRoutes
{
    const string ErrorsHint =
        " (apiKey: a name such as Produce, Fetch, Metadata, or a protocol number; errors: Confluent.Kafka ErrorCode names such as NotEnoughReplicas, or numbers)";

    internal static void Map(IEndpointRouteBuilder routes, MockKafkaCluster cluster, ILogger logger)
    {
        routes.MapGet("/brokers", () => Json(cluster.Brokers));

        routes.MapPost("/brokers/{id}/down", (HttpRequest request, string id) => Run(request, logger, () =>
        {
            var brokerId = ParseNumber(id, "broker id");
            cluster.SetBrokerDown(brokerId);
            Log.FaultInjected(logger, $"broker {brokerId} down");
            return Json(cluster.Brokers.Single(b => b.Id == brokerId));
        }));

        routes.MapPost("/brokers/{id}/up", (HttpRequest request, string id) => Run(request, logger, () =>
        {
            var brokerId = ParseNumber(id, "broker id");
            cluster.SetBrokerUp(brokerId);
            Log.FaultInjected(logger, $"broker {brokerId} up");
            return Json(cluster.Brokers.Single(b => b.Id == brokerId));
        }));

        routes.MapPut("/brokers/{id}/rtt", (HttpRequest request, string id) => RunWithBody<BrokerRttRequest>(request, logger, "", body =>
        {
            var brokerId = ParseNumber(id, "broker id");
            if (body.RttMs < 0) throw new ArgumentException($"rttMs must be 0 or more, not {body.RttMs}");
            cluster.SetBrokerRtt(brokerId, TimeSpan.FromMilliseconds(body.RttMs));
            Log.FaultInjected(logger, $"broker {brokerId} rtt {body.RttMs} ms");
            return Json(cluster.Brokers.Single(b => b.Id == brokerId));
        }));

        routes.MapPost("/request-errors", (HttpRequest request) => RunWithBody<RequestErrorsRequest>(request, logger, ErrorsHint, body =>
        {
            if (body.Errors.Count == 0) throw new ArgumentException("errors must list at least one error code");
            cluster.PushRequestErrors(body.ApiKey, body.Errors);
            Log.FaultInjected(logger, $"next {body.Errors.Count} {body.ApiKey} request(s) fail with {string.Join(", ", body.Errors)}");
            return Results.NoContent();
        }));

        routes.MapDelete("/request-errors/{apiKey}", (HttpRequest request, string apiKey) => Run(request, logger, () =>
        {
            if (!Enum.TryParse<KafkaApiKey>(apiKey, ignoreCase: true, out var key))
                throw new ArgumentException($"unknown API key '{apiKey}'{ErrorsHint}");
            cluster.ClearRequestErrors(key);
            Log.FaultInjected(logger, $"pending {key} request errors cleared");
            return Results.NoContent();
        }));

        routes.MapPost("/topics", (HttpRequest request) => RunWithBody<CreateTopicRequest>(request, logger, "", body =>
        {
            cluster.CreateTopic(body.Name, body.Partitions, body.ReplicationFactor);
            return Results.Created($"/topics/{Uri.EscapeDataString(body.Name)}", body);
        }));

        routes.MapPut("/topics/{topic}/partitions/{partition}/leader", (HttpRequest request, string topic, string partition) =>
            RunWithBody<PartitionLeaderRequest>(request, logger, "", body =>
            {
                var partitionId = ParseNumber(partition, "partition");
                cluster.SetPartitionLeader(topic, partitionId, body.BrokerId);
                Log.FaultInjected(logger, $"leader of {topic} [{partitionId}] is broker {body.BrokerId}");
                return Results.NoContent();
            }));

        routes.MapPost("/topics/{topic}/partitions/{partition}/delete-records", (HttpRequest request, string topic, string partition) =>
            RunWithBody<DeleteRecordsRequest>(request, logger, "", body =>
            {
                var partitionId = ParseNumber(partition, "partition");
                cluster.DeleteRecords(topic, partitionId, body.BeforeOffset);
                Log.FaultInjected(logger, $"records of {topic} [{partitionId}] before offset {body.BeforeOffset} deleted");
                return Results.NoContent();
            }));

        routes.MapPost("/reset", () =>
        {
            cluster.Reset();
            Log.FaultInjected(logger, "reset: all brokers up, no RTT, no pending request errors");
            return Results.NoContent();
        });
    }

    static IResult Run(HttpRequest request, ILogger logger, Func<IResult> action)
    {
        try
        {
            return action();
        }
        catch (KafkaException e) when (e.Error.Code == ErrorCode.TopicAlreadyExists)
        {
            return Refuse(request, logger, e.Message, StatusCodes.Status409Conflict);
        }
        catch (KafkaException e)
        {
            return BadRequest(request, logger, e.Message);
        }
        catch (ArgumentException e)
        {
            // Without the "(Parameter 'x')" and "Actual value was" suffixes meant for developers.
            var message = e.Message.Split('\n')[0];
            if (e.ParamName is { } name) message = message.Replace($" (Parameter '{name}')", "", StringComparison.Ordinal);
            return BadRequest(request, logger, message);
        }
    }

    static async Task<IResult> RunWithBody<T>(HttpRequest request, ILogger logger, string hint, Func<T, IResult> action)
        where T : class
    {
        T? body;
        try
        {
            body = await request.ReadFromJsonAsync<T>(AdminJson.Options, request.HttpContext.RequestAborted);
        }
        catch (JsonException e)
        {
            return BadRequest(request, logger, $"invalid JSON body: {e.Message}{hint}");
        }
        catch (InvalidOperationException e) when (!request.HasJsonContentType())
        {
            return BadRequest(request, logger, $"{e.Message} Send Content-Type: application/json.");
        }
        return body is null
            ? BadRequest(request, logger, $"a JSON object body is required{hint}")
            : Run(request, logger, () => action(body));
    }

    static int ParseNumber(string text, string what) =>
        int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number)
            ? number
            : throw new ArgumentException($"{what} must be a number, not '{text}'");

    static IResult BadRequest(HttpRequest request, ILogger logger, string message) =>
        Refuse(request, logger, message, StatusCodes.Status400BadRequest);

    static IResult Refuse(HttpRequest request, ILogger logger, string message, int statusCode)
    {
        Log.AdminRequestRejected(logger, request.Method, request.Path, message);
        return Results.Json(new AdminError(message), AdminJson.Options, statusCode: statusCode);
    }

    static IResult Json<T>(T value) => Results.Json(value, AdminJson.Options);
}
