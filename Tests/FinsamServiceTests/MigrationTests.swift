import FinsamService
import Foundation
import Postgres
import TestSupport
import Testing

@Suite struct MigrationTests {
    /// The embedded list and schema/ agree, file for file and byte for byte: nothing is forgotten in the binary.
    @Test func embeddedMigrationsMatchTheSchemaFolder() throws {
        let folder = TestDatabase.projectRoot.appendingPathComponent("schema")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".sql") }.sorted()
        #expect(Migration.all.map(\.name) == files)
        for migration in Migration.all {
            let text = try String(contentsOf: folder.appendingPathComponent(migration.name), encoding: .utf8)
            #expect(migration.sql == text, "\(migration.name) differs from the embedded copy")
        }
        #expect(Migration.all.map(\.version) == Array(1...Migration.all.count), "versions are numbered without gaps")
    }

    @Test func migrateAppliesOnceAndRecordsChecksums() async throws {
        try await TestDatabase.withConnection { c in
            let first = try await Migrator().migrate(on: c)
            #expect(first.applied == Migration.all.map(\.name))
            #expect(first.version == Migration.latestVersion)
            let second = try await Migrator().migrate(on: c)
            #expect(second.applied.isEmpty)
            let recorded = try await c.query("SELECT name, length(checksum) FROM schema_migration ORDER BY version")
            #expect(recorded.count == Migration.all.count)
            #expect(try recorded.rows.allSatisfy { try $0.decode(Int.self, at: 1) == 64 })
        }
    }

    @Test func aMigrationChangedAfterBeingAppliedIsRefusedAndNothingRuns() async throws {
        try await TestDatabase.withConnection { c in
            let original = [
                Migration(name: "001_a.sql", sql: "CREATE TABLE a (id int);"),
                Migration(name: "002_b.sql", sql: "CREATE TABLE b (id int);"),
            ]
            _ = try await Migrator(migrations: original).migrate(on: c)
            let edited = [
                Migration(name: "001_a.sql", sql: "CREATE TABLE a (id int, extra text);"),
                Migration(name: "002_b.sql", sql: "CREATE TABLE b (id int);"),
                Migration(name: "003_c.sql", sql: "CREATE TABLE c (id int);"),
            ]
            await #expect(throws: Migrator.Failure.changedAfterApplied(name: "001_a.sql")) {
                try await Migrator(migrations: edited).migrate(on: c)
            }
            #expect(try await c.query("SELECT to_regclass('c') IS NULL").scalar(Bool.self), "003 must not have run")
        }
    }

    @Test func aDatabaseNewerThanTheProgramIsRefused() async throws {
        try await TestDatabase.withConnection { c in
            _ = try await Migrator(migrations: [
                Migration(name: "001_a.sql", sql: "SELECT 1;"), Migration(name: "002_b.sql", sql: "SELECT 2;"),
            ]).migrate(on: c)
            await #expect(throws: Migrator.Failure.unknownMigrationApplied(name: "002_b.sql")) {
                try await Migrator(migrations: [Migration(name: "001_a.sql", sql: "SELECT 1;")]).migrate(on: c)
            }
        }
    }

    @Test func aFailingMigrationLeavesNoTrace() async throws {
        try await TestDatabase.withConnection { (c: Connection) async throws in
            let migrations = [
                Migration(name: "001_a.sql", sql: "CREATE TABLE a (id int);"),
                Migration(name: "002_b.sql", sql: "CREATE TABLE b (id int); SELECT no_such_function();"),
            ]
            await #expect(throws: PostgresError.self) { try await Migrator(migrations: migrations).migrate(on: c) }
            #expect(try await c.query("SELECT to_regclass('b') IS NULL").scalar(Bool.self))
            #expect(try await c.query("SELECT count(*) FROM schema_migration").scalar(Int.self) == 1)
        }
    }

    @Test func concurrentMigratorsApplyEachMigrationOnce() async throws {
        try await TestDatabase.withDatabase { configuration in
            let outcomes = try await withThrowingTaskGroup(of: [String].self) { group in
                for _ in 0..<3 {
                    group.addTask {
                        let c = try await Connection.connect(configuration)
                        let outcome = try await Migrator().migrate(on: c)
                        await c.close()
                        return outcome.applied
                    }
                }
                return try await group.reduce(into: [String]()) { $0 += $1 }
            }
            #expect(outcomes == Migration.all.map(\.name))
        }
    }
}
