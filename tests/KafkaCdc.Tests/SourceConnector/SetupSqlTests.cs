using System.Diagnostics;
using KafkaCdc.Shared.Configuration;
using KafkaCdc.SourceConnector.Check;
using KafkaCdc.SourceConnector.Configuration;
using Npgsql;

namespace KafkaCdc.Tests.SourceConnector;

/// <summary>
/// <c>schemas/sql/source-setup.sql</c>, run with psql as written (names aside: the role and slot names are made
/// unique, since they are server-wide), prepares a database the connector streams from as the non-superuser it
/// creates, with the default heartbeat (table) and the publication and slot the script made; <c>check</c> passes.
/// </summary>
public class SetupSqlTests
{
    static readonly TimeSpan s_timeout = TimeSpan.FromSeconds(60);

    [Test]
    public async Task SetupScript_AsWritten_ConnectorStreamsAsTheNonSuperuserItCreates()
    {
        await using var database = await SourceTestDatabase.CreateAsync("setupsql", "CREATE TABLE orders (id integer PRIMARY KEY, item text)");
        var user = TestEnvironment.UniqueName("kafkacdc_user");
        var script = (await File.ReadAllTextAsync(Path.Combine(Repository.Root, "schemas", "sql", "source-setup.sql")))
            .Replace("kafkacdc_role", TestEnvironment.UniqueName("kafkacdc_role"))
            .Replace("'kafkacdc_slot'", $"'{database.SlotName}'");
        var password = Guid.NewGuid().ToString("N");
        await RunPsqlAsync(database, script, user, password);
        await using var role = TestRole.Existing(database, user);

        var config = database.Config();
        config["database.user"] = user;
        config["database.password"] = password;
        config["publication.name"] = "kafkacdc_pub";
        config.Remove("publication.autocreate.mode");
        config.Remove("heartbeat.action");

        var results = await PrerequisiteCheck.CheckAsync(SourceOptions.Read(new ConfigReader(RawConfig.FromPairs(config), new Dictionary<string, string>())), CancellationToken.None);
        Assert.That(results.Where(r => !r.Passed), Is.Empty, string.Join("\n", results));

        await using var connector = await InProcessConnector.StartStreamingAsync(config);
        await database.ExecuteAsync("INSERT INTO orders VALUES (1, 'apple')");
        var records = await ChangeTopic.ReadAsync(database.Topic("orders"), 1, s_timeout);
        Assert.That(records[0].After!["item"], Is.EqualTo("apple"));
        await Poll.UntilAsync(async () => await database.ScalarAsync<string>("SELECT text FROM kafkacdc.kafkacdc_heartbeat ORDER BY id LIMIT 1") != "test_heartbeat",
            s_timeout, "the connector's heartbeat to update the table as the non-superuser");
        Assert.That(await database.ScalarAsync<bool>($"SELECT rolsuper FROM pg_roles WHERE rolname = '{user}'"), Is.False);
    }

    static async Task RunPsqlAsync(SourceTestDatabase database, string script, string user, string password)
    {
        var server = new NpgsqlConnectionStringBuilder(TestEnvironment.PostgresConnectionString);
        var scriptPath = Path.Combine(Path.GetTempPath(), $"source-setup-{Guid.NewGuid():N}.sql");
        await File.WriteAllTextAsync(scriptPath, script);
        try
        {
            var start = new ProcessStartInfo(Psql()) { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var argument in new[] { "-X", "-v", $"user={user}", "-v", $"password={password}", "-v", "schema=public", "-d", database.Name, "-f", scriptPath })
                start.ArgumentList.Add(argument);
            start.Environment["PGHOST"] = server.Host;
            start.Environment["PGPORT"] = server.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
            start.Environment["PGUSER"] = server.Username;
            start.Environment["PGPASSWORD"] = server.Password;
            using var psql = Process.Start(start)!;
            var output = psql.StandardOutput.ReadToEndAsync();
            var error = psql.StandardError.ReadToEndAsync();
            await psql.WaitForExitAsync();
            Assert.That(psql.ExitCode, Is.Zero, $"psql failed:\n{await output}\n{await error}");
        }
        finally
        {
            File.Delete(scriptPath);
        }
    }

    static string Psql() =>
        Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin", "psql")).Where(File.Exists).Order().LastOrDefault() ?? "psql"
            : "psql";
}
