using System.Net.Sockets;
using System.Reflection;
using Confluent.SchemaRegistry;

namespace KafkaCdc.Tests.Shared.SchemaRegistry.Serdes;

/// <summary>
/// A registry client whose every call fails as Confluent's client does when the registry's TCP connection is reset
/// just after it was accepted: with the bare <see cref="SocketException"/> (ENOTCONN) that HttpClient lets through.
/// </summary>
public class ResettingRegistry : DispatchProxy
{
    /// <summary>Creates the client.</summary>
    public static ISchemaRegistryClient Create() => Create<ISchemaRegistryClient, ResettingRegistry>();

    /// <inheritdoc />
    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        var failure = new SocketException((int)SocketError.NotConnected);
        var returns = targetMethod!.ReturnType;
        if (returns == typeof(Task)) return Task.FromException(failure);
        if (returns.IsGenericType && returns.GetGenericTypeDefinition() == typeof(Task<>))
        {
            return typeof(Task).GetMethod(nameof(Task.FromException), 1, [typeof(Exception)])!
                .MakeGenericMethod(returns.GetGenericArguments()[0]).Invoke(null, [failure]);
        }
        throw failure;
    }
}
