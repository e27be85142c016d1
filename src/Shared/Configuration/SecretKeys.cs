namespace KafkaCdc.Shared.Configuration;

/// <summary>Decides which config keys hold secrets, whose values never appear in logs or error messages.</summary>
public static class SecretKeys
{
    static readonly string[] s_markers =
        ["password", "secret", "user.info", "jaas.config", "ssl.key.pem", "credentials", "token", "ssl.keystore.key", "passphrase", "private.key"];

    /// <summary>True when <paramref name="key"/> names a secret (password, SASL config, registry credentials, SSH private key and passphrase...).</summary>
    public static bool IsSecret(string key) =>
        s_markers.Any(m => key.Contains(m, StringComparison.OrdinalIgnoreCase));

    /// <summary>The value as it may be shown: itself, or <c>****</c> for a secret key.</summary>
    public static string Display(string key, string value) => IsSecret(key) ? "****" : value;
}
