public import Postgres
import FinsamCore

/// Applies `schema/NNN_*.sql` in order, each in its own transaction, and records each with its checksum.
///
/// A migration is applied once and never edited afterwards (a change is a new file). If a file that was applied
/// has changed, or the database has a migration this build does not know, the migrator refuses to do anything:
/// either means the binary and the database disagree about what the schema is.
public struct Migrator: Sendable {
    public enum Failure: Error, CustomStringConvertible, Equatable {
        case changedAfterApplied(name: String)
        case unknownMigrationApplied(name: String)
        case outOfOrder(name: String)

        public var description: String {
            switch self {
            case .changedAfterApplied(let name):
                "Migreringen \(name) har ändrats efter att den tillämpades. Ändra aldrig en tillämpad migrering; lägg till en ny."
            case .unknownMigrationApplied(let name):
                "Databasen har migreringen \(name), som det här programmet inte känner till. Använd en nyare version av Finsam."
            case .outOfOrder(let name):
                "Migreringen \(name) ligger före en redan tillämpad migrering. Numrera nya migreringar efter den senaste."
            }
        }
    }

    /// What was done: the migrations applied now, and the schema version afterwards.
    public struct Outcome: Sendable, Equatable {
        public var applied: [String]
        public var version: Int
    }

    public struct Status: Sendable, Equatable {
        public var name: String
        public var version: Int
        public var appliedAt: String?
    }

    public let migrations: [Migration]
    /// Who migrates: the audit trail records it for what a migration changes in the data.
    public let actor: User

    public init(migrations: [Migration] = Migration.all, by actor: User = .localOperator(request: "migrate")) {
        self.migrations = migrations.sorted { $0.version < $1.version }
        self.actor = actor
    }

    /// A session-level advisory lock so that two migrators (two deploys at once) never interleave.
    private static let lockKey = 0x46_49_4E_53_41_4D  // "FINSAM"

    public func migrate(on connection: Connection) async throws -> Outcome {
        try await connection.withIsolation { c in
            try await c.execute(script: "SELECT pg_advisory_lock(\(Self.lockKey))")
            do {
                let outcome = try await self.migrateLocked(c)
                try await c.execute(script: "SELECT pg_advisory_unlock(\(Self.lockKey))")
                return outcome
            } catch {
                try? await c.execute(script: "SELECT pg_advisory_unlock(\(Self.lockKey))")
                throw error
            }
        }
    }

    private func migrateLocked(_ c: isolated Connection) async throws -> Outcome {
        try await Self.createLedger(c)
        let applied = try await Self.appliedRecords(c)
        try await verify(applied, c)
        var done: [String] = []
        let appliedNames = Set(applied.map(\.name))
        for migration in migrations where !appliedNames.contains(migration.name) {
            try await c.transaction { tx in
                try await tx.execute(script: migration.sql)
                try await tx.query(
                    """
                    INSERT INTO schema_migration (version, name, checksum, applied_by)
                    VALUES ($1, $2, encode(sha256(convert_to($3, 'UTF8')), 'hex'), current_user)
                    """,
                    [migration.version, migration.name, migration.sql])
                // From the audit trail's migration on, what a migration changes in the federations' data is sealed
                // into their chains like any use case's change (019 itself seals the rows that were there before).
                if try await tx.query("SELECT to_regproc('finsam_audit_pending') IS NOT NULL").rows[0].decode(Bool.self, at: 0) {
                    try await AuditStore.seal(tx, .schemaMigrate, by: actor)
                }
            }
            done.append(migration.name)
        }
        return Outcome(applied: done, version: try await Self.version(c))
    }

    /// Each migration and whether (and when) it was applied, without changing anything.
    public func status(on connection: Connection) async throws -> [Status] {
        try await connection.withIsolation { c in
            let applied = try await Self.ledgerExists(c) ? try await Self.appliedRecords(c) : []
            let byName = Dictionary(uniqueKeysWithValues: applied.map { ($0.name, $0) })
            return self.migrations.map { Status(name: $0.name, version: $0.version, appliedAt: byName[$0.name]?.appliedAt) }
        }
    }

    /// The schema version of a database: the highest applied migration, 0 when none.
    public static func currentVersion(on c: isolated Connection) async throws -> Int {
        try await ledgerExists(c) ? try await version(c) : 0
    }

    private struct Record: Sendable {
        var name: String
        var checksum: String
        var appliedAt: String
    }

    private func verify(_ applied: [Record], _ c: isolated Connection) async throws {
        let known = Dictionary(uniqueKeysWithValues: migrations.map { ($0.name, $0) })
        var names: [String] = []
        var texts: [String] = []
        for record in applied {
            guard let migration = known[record.name] else {
                throw Failure.unknownMigrationApplied(name: record.name)
            }
            names.append(record.name)
            texts.append(migration.sql)
        }
        // One round trip for all checksums, computed by the same function that recorded them.
        let checksums = try await c.query(
            "SELECT name, encode(sha256(convert_to(sql, 'UTF8')), 'hex') FROM unnest($1::text[], $2::text[]) AS m(name, sql)",
            [names, texts])
        let current = Dictionary(uniqueKeysWithValues: try checksums.rows.map { row in
            (try row.decode(String.self, at: 0), try row.decode(String.self, at: 1))
        })
        if let changed = applied.first(where: { current[$0.name] != $0.checksum }) {
            throw Failure.changedAfterApplied(name: changed.name)
        }
        let newestApplied = applied.compactMap { known[$0.name]?.version }.max() ?? 0
        let appliedNames = Set(applied.map(\.name))
        if let early = migrations.first(where: { !appliedNames.contains($0.name) && $0.version < newestApplied }) {
            throw Failure.outOfOrder(name: early.name)
        }
    }

    private static func createLedger(_ c: isolated Connection) async throws {
        try await c.execute(
            script: """
                CREATE TABLE IF NOT EXISTS schema_migration (
                    version int PRIMARY KEY,
                    name text NOT NULL UNIQUE,
                    checksum text NOT NULL,
                    applied_at timestamptz NOT NULL DEFAULT now(),
                    applied_by text NOT NULL
                )
                """)
    }

    private static func ledgerExists(_ c: isolated Connection) async throws -> Bool {
        try await c.query("SELECT to_regclass('schema_migration') IS NOT NULL").scalar(Bool.self)
    }

    private static func appliedRecords(_ c: isolated Connection) async throws -> [Record] {
        try await c.query(
            "SELECT name, checksum, to_char(applied_at, 'YYYY-MM-DD HH24:MI:SS') FROM schema_migration ORDER BY version"
        ).rows.map { row in
            Record(name: try row.decode(String.self, at: 0), checksum: try row.decode(String.self, at: 1), appliedAt: try row.decode(String.self, at: 2))
        }
    }

    private static func version(_ c: isolated Connection) async throws -> Int {
        try await c.query("SELECT coalesce(max(version), 0)::int8 FROM schema_migration").scalar(Int.self)
    }
}
