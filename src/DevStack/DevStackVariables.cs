namespace KafkaCdc.DevStack;

/// <summary>The environment variables the dev stack publishes (printed and written to its env file).</summary>
public static class DevStackVariables
{
    /// <summary>The Kafka <c>bootstrap.servers</c> list of the mock cluster.</summary>
    public const string KafkaBootstrapServers = "KAFKA_BOOTSTRAP_SERVERS";

    /// <summary>The base URL of the fault-injection admin endpoint (see <c>Admin/AdminRoutes.cs</c>).</summary>
    public const string AdminUrl = "KCDC_DEVSTACK_ADMIN_URL";

    /// <summary>The base URL of the schema registry, once the dev stack hosts one.</summary>
    public const string SchemaRegistryUrl = "SCHEMA_REGISTRY_URL";

    /// <summary>An Npgsql connection string for the throwaway PostgreSQL (superuser, database <c>postgres</c>).</summary>
    public const string PostgresConnectionString = "KCDC_TEST_PG";

    /// <summary>libpq's host variable, for psql.</summary>
    public const string PgHost = "PGHOST";

    /// <summary>libpq's port variable.</summary>
    public const string PgPort = "PGPORT";

    /// <summary>libpq's user variable.</summary>
    public const string PgUser = "PGUSER";

    /// <summary>libpq's password variable.</summary>
    public const string PgPassword = "PGPASSWORD";

    /// <summary>libpq's database variable.</summary>
    public const string PgDatabase = "PGDATABASE";
}
