using System.Net;

namespace KafkaCdc.DevStack.Admin;

/// <summary>The admin endpoint refused a request; <see cref="Exception.Message"/> carries its explanation.</summary>
public sealed class DevStackAdminException : Exception
{
    /// <summary>Creates the exception for a refused request.</summary>
    public DevStackAdminException(HttpStatusCode statusCode, string message)
        : base(message)
    {
        StatusCode = statusCode;
    }

    /// <summary>The HTTP status of the answer (400 for a bad request).</summary>
    public HttpStatusCode StatusCode { get; }
}
