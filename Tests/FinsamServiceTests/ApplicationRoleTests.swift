import FinsamCore
import FinsamService
import Foundation
import Postgres
import Testing
import TestSupport

/// What the application role (`finsam_app`, as finsam and finsamd log in) can reach: logged in as it, a transaction
/// begun as the service begins one for a person (`finsam_act_as`) sees no row of another federation in any table,
/// and the role can alter, truncate or disable nothing. On the demo's three federations.
@Suite struct ApplicationRoleTests {
    /// Every table of the schema and the column that names its federation (`federation_id`, or the audit trail's
    /// `chain`), read from the catalog so that a table added later is covered too.
    static func tables(_ c: isolated Connection) async throws -> [(table: String, column: String?)] {
        try await c.query(
            """
            SELECT c.relname,
                   (SELECT a.attname FROM pg_attribute a WHERE a.attrelid = c.oid AND a.attname IN ('federation_id', 'chain')
                    AND NOT a.attisdropped) AS column
            FROM pg_class c WHERE c.relnamespace = 'public'::regnamespace AND c.relkind = 'r' ORDER BY c.relname
            """
        ).rows.map { (try $0.decode(String.self, at: 0), try $0.decode(String?.self, at: 1)) }
    }

    @Test func aDirectorOfOneFederationSeesNoRowOfAnotherInAnyTable() async throws {
        try await SessionAttackTests.withDemo { _, c in
            let name = try await c.query("SELECT current_database()").scalar(String.self)
            let app = try await Connection.connect(try TestDatabase.adminConfiguration().database(name).setting("user", "finsam_app"))
            // karl.sund directs Södra Älvmark only (DemoFunding).
            let own = try await c.query("SELECT federation_id FROM federation WHERE code = 'sodraalv'").scalar(Int64.self)
            let tables = try await Self.tables(c)
            #expect(tables.count >= 40)
            try await app.execute(script: "BEGIN")
            let roles = try await app.query("SELECT federation, role FROM finsam_act_as('karl.sund')").rows
                .map { "\(try $0.decode(String.self, at: 0)):\(try $0.decode(String.self, at: 1))" }
            #expect(roles == ["sodraalv:director"])
            var seen: [String: Int64] = [:]
            for (table, column) in tables {
                guard let column else { continue }
                do {
                    let others = try await app.query("SELECT count(*) FROM \(table) WHERE \(column) <> \(own)").scalar(Int64.self)
                    #expect(others == 0, "\(table): \(others) rows of other federations")
                    seen[table] = try await app.query("SELECT count(*) FROM \(table)").scalar(Int64.self)
                } catch let error as PostgresError where error.sqlState == "42501" {
                    // No privilege at all (the audit trail's notes): nothing to see either.
                    try await app.execute(script: "ROLLBACK; BEGIN")
                    _ = try await app.query("SELECT federation, role FROM finsam_act_as('karl.sund')")
                }
            }
            // The director does see the own federation's books: the scope is the federation, not nothing.
            for table in ["federation", "member", "voucher", "voucher_line", "invoice", "audit_record"] {
                #expect((seen[table] ?? 0) > 0, "\(table)")
            }
            try await app.execute(script: "ROLLBACK")
            // The same connection, scoped to nobody, sees no federation's rows.
            try await app.execute(script: "BEGIN")
            #expect(try await app.query("SELECT count(*) FROM voucher").scalar(Int64.self) == 0)
            try await app.execute(script: "ROLLBACK")
            await app.close()
        }
    }

    @Test func theApplicationRoleCanAlterTruncateOrDisableNothing() async throws {
        try await SessionAttackTests.withDemo { _, c in
            let name = try await c.query("SELECT current_database()").scalar(String.self)
            let app = try await Connection.connect(try TestDatabase.adminConfiguration().database(name).setting("user", "finsam_app"))
            let triggers = Dictionary(grouping: try await c.query(
                """
                SELECT c.relname, t.tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
                WHERE c.relnamespace = 'public'::regnamespace AND NOT t.tgisinternal
                """
            ).rows.map { (try $0.decode(String.self, at: 0), try $0.decode(String.self, at: 1)) }, by: \.0)
            #expect(triggers.values.map(\.count).reduce(0, +) >= 100)
            for (table, _) in try await Self.tables(c) {
                var attempts = [
                    "TRUNCATE \(table) CASCADE", "ALTER TABLE \(table) DISABLE TRIGGER ALL", "ALTER TABLE \(table) ADD COLUMN x int",
                    "ALTER TABLE \(table) DISABLE ROW LEVEL SECURITY", "DROP TABLE \(table) CASCADE",
                ]
                for (_, trigger) in triggers[table] ?? [] {
                    attempts += ["ALTER TABLE \(table) DISABLE TRIGGER \(trigger)", "DROP TRIGGER \(trigger) ON \(table)"]
                }
                for sql in attempts {
                    do {
                        try await app.execute(script: "BEGIN; SET LOCAL finsam.all_federations = 'on'; \(sql); COMMIT;")
                        Issue.record("the application role could: \(sql)")
                    } catch let error as PostgresError {
                        #expect(error.sqlState == "42501", "\(sql): \(error.fullDescription)")
                    }
                    try? await app.execute(script: "ROLLBACK")
                }
            }
            // Nor can it change the session's role to one that could.
            do {
                try await app.execute(script: "SET ROLE finsam_owner")
                Issue.record("the application role became the owner")
            } catch let error as PostgresError {
                #expect(error.sqlState == "42501", "\(error.fullDescription)")
            }
            await app.close()
        }
    }
}
