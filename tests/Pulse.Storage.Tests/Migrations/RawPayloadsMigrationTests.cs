using System.Data.Common;
using Dapper;
using Microsoft.Data.Sqlite;
using Pulse.Storage.Sqlite;

namespace Pulse.Storage.Tests.Migrations;

/// <summary>
/// Migration 015 moves every stored answer's payload out of raw_extraction_data into raw_extraction_payloads: a database
/// synced before it keeps each payload byte for byte, on both backends.
/// </summary>
public sealed class RawPayloadsMigrationTests
{
    private const long PayloadsVersion = 15;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly string[] Payloads = ["""{"data":{"a0":{"id":"PR_1","title":"naïve – ünïcode"}}}""", """{"data":{"a0":null}}"""];

    [Fact]
    public async Task Sqlite_AnswersStoredBefore_KeepTheirPayloadsInTheirOwnTable()
    {
        var directory = Directory.CreateTempSubdirectory("pulse-migration-").FullName;
        try
        {
            await using var c = new SqliteConnection($"Data Source={Path.Combine(directory, "pulse.db")};Pooling=false");
            await c.OpenAsync(Ct);
            var all = Pulse.Storage.Migrations.Of(typeof(SqliteDatabase).Assembly, "Pulse.Sqlite.Migrations.");
            await Pulse.Storage.Migrations.ApplyAsync(c, Before(all), "TEXT", DateTimeOffset.UtcNow, "'test'", Ct);
            // The answers' parents are not the point here: their references are not checked while they are laid down.
            await c.ExecuteAsync("PRAGMA foreign_keys = OFF");
            await InsertAnswersAsync(c, "CURRENT_TIMESTAMP", "");

            await Pulse.Storage.Migrations.ApplyAsync(c, all, "TEXT", DateTimeOffset.UtcNow, "'test'", Ct);

            Assert.Equal(Payloads, await PayloadsAsync(c));
            Assert.DoesNotContain("payload", await c.QueryAsync<string>("SELECT name FROM pragma_table_info('raw_extraction_data')"));
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task Postgres_AnswersStoredBefore_KeepTheirPayloadsInTheirOwnTable()
    {
        await using var db = await TestPostgres.OpenScratchAsync("pulse_migration_", Ct);
        var c = db.Connection;
        var all = TestPostgres.Migrations;
        await db.MigrateAsync(Before(all), Ct);
        // The answers' parents are not the point here: their references are not checked while they are laid down.
        await c.ExecuteAsync("SET session_replication_role = replica");
        await InsertAnswersAsync(c, "now()", "::json");
        await c.ExecuteAsync("SET session_replication_role = DEFAULT");

        await db.MigrateAsync(all, Ct);

        Assert.Equal(Payloads, await PayloadsAsync(c, "::text"));
        Assert.DoesNotContain("payload", await c.QueryAsync<string>(
            "SELECT column_name FROM information_schema.columns WHERE table_name = 'raw_extraction_data'"));
    }

    private static IReadOnlyList<Pulse.Storage.Migrations.Migration> Before(IReadOnlyList<Pulse.Storage.Migrations.Migration> all)
    {
        Assert.Contains(all, m => m.Version == PayloadsVersion && m.Name == "015_raw_payloads.sql");
        return all.Where(m => m.Version < PayloadsVersion).ToList();
    }

    private static async Task InsertAnswersAsync(DbConnection c, string now, string cast)
    {
        foreach (var payload in Payloads)
            await c.ExecuteAsync($"""
                INSERT INTO raw_extraction_data (tenant_id, integration_id, run_id, entity_type, query_hash, variables, payload, units, status, points, requests, created_at)
                VALUES (1, 1, 1, 'pull_requests', 'h', '{"{}"}', @payload{cast}, '[]', 'pending', 1, 1, {now})
                """, new { payload });
    }

    private static async Task<List<string>> PayloadsAsync(DbConnection c, string cast = "") =>
        (await c.QueryAsync<string>($"SELECT p.payload{cast} FROM raw_extraction_payloads p JOIN raw_extraction_data r ON r.id = p.raw_id ORDER BY r.id")).ToList();
}
