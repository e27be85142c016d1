using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace KafkaCdc.DevStack.SchemaRegistry;

/// <summary>Checks HTTP basic-auth credentials against the configured ones, in constant time.</summary>
sealed class BasicAuthentication(string user, string password)
{
    /// <summary>The challenge sent with 401 answers.</summary>
    public const string Challenge = "Basic realm=\"SchemaRegistry\"";

    readonly byte[] _expected = Encoding.UTF8.GetBytes(user + ":" + password);

    /// <summary>True when the request's <c>Authorization</c> header holds the expected user and password.</summary>
    public bool Allows(HttpRequest request)
    {
        if (!AuthenticationHeaderValue.TryParse(request.Headers.Authorization.ToString(), out var header)
            || !string.Equals(header.Scheme, "Basic", StringComparison.OrdinalIgnoreCase)
            || header.Parameter is null)
        {
            return false;
        }

        var decoded = new byte[(header.Parameter.Length * 3 / 4) + 3];
        return Convert.TryFromBase64String(header.Parameter, decoded, out var length)
               && CryptographicOperations.FixedTimeEquals(decoded.AsSpan(0, length), _expected);
    }
}
