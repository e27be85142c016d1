using Npgsql;

namespace KafkaCdc.Tests.SourceConnector;

/// <summary>A uniquely named login role for tests that must not run as a superuser; dropped (with its grants in the database) on dispose.</summary>
internal sealed class TestRole : IAsyncDisposable
{
    readonly SourceTestDatabase _database;

    TestRole(SourceTestDatabase database, string name)
    {
        _database = database;
        Name = name;
    }

    /// <summary>The role name.</summary>
    public string Name { get; }

    /// <summary>Its password.</summary>
    public string Password { get; } = Guid.NewGuid().ToString("N");

    /// <summary>Creates the role with <paramref name="attributes"/> (e.g. <c>REPLICATION</c>) and CONNECT on the database.</summary>
    public static async Task<TestRole> CreateAsync(SourceTestDatabase database, string prefix, string attributes = "")
    {
        var role = new TestRole(database, TestEnvironment.UniqueName(prefix));
        await database.ExecuteAsync($"CREATE ROLE \"{role.Name}\" LOGIN PASSWORD '{role.Password}' {attributes}");
        return role;
    }

    /// <summary>Creates a role object for a role something else (a setup script) created.</summary>
    public static TestRole Existing(SourceTestDatabase database, string name) => new(database, name);

    /// <summary><paramref name="config"/> with this role as the connector's user.</summary>
    public Dictionary<string, string> Apply(Dictionary<string, string> config)
    {
        config["database.user"] = Name;
        config["database.password"] = Password;
        return config;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _database.ExecuteAsync($"DROP OWNED BY \"{Name}\"; DROP ROLE \"{Name}\"");
        }
        catch (PostgresException)
        {
            // Still referenced elsewhere: the throwaway server goes with the run.
        }
    }
}
