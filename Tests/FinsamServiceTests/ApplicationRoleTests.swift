import FinsamCore
import FinsamService
import Foundation
import Postgres
import Testing
import TestSupport

/// What the application role (`finsam_app`, as finsamd logs in) can reach: logged in as it, a transaction begun as
/// the daemon begins one for a signed-in person (`finsam_act_as_credential`) sees no row of another federation in any
/// table, whatever SQL it runs; and the role can alter, truncate or disable nothing. On the demo's three federations.
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

    /// karl.sund directs Södra Älvmark only (DemoFunding); the demo gives him the password `demo`. Signs him in as
    /// the daemon does, on a connection of the application role, and returns the session's secret.
    static func signInKarl(_ app: Connection) async throws -> String {
        try await app.query("SELECT secret FROM finsam_sign_in('karl.sund', 'demo', NULL, NULL)").scalar(String.self)
    }

    static func connectAsApplication(_ c: Connection) async throws -> Connection {
        let name = try await c.query("SELECT current_database()").scalar(String.self)
        return try await Connection.connect(try TestDatabase.adminConfiguration().database(name).setting("user", "finsam_app"))
    }

    /// How many rows of a table a transaction sees: of its own federation, and of others.
    struct Visible {
        var own: Int64
        var others: Int64
    }

    /// The rows a transaction sees, table by table.
    static func visibleRows(_ app: Connection, tables: [(table: String, column: String?)], own: Int64, rescope: String)
        async throws -> [String: Visible]
    {
        var seen: [String: Visible] = [:]
        for (table, column) in tables {
            guard let column else { continue }
            if let visible = try await Self.count(app, table: table, column: column, own: own) {
                seen[table] = visible
            } else {
                // No privilege at all (the audit trail's notes, the credentials): nothing to see either.
                try await app.execute(script: "ROLLBACK; BEGIN")
                _ = try await app.query(rescope)
            }
        }
        return seen
    }

    /// The rows of `table` the transaction sees, or nil when the role may not read the table at all.
    static func count(_ app: Connection, table: String, column: String, own: Int64) async throws -> Visible? {
        let others: Int64
        do {
            others = try await app.query("SELECT count(*) FROM \(table) WHERE \(column) <> \(own)").scalar(Int64.self)
        } catch {
            guard error.sqlState == "42501" else { throw error }
            return nil
        }
        let mine = try await app.query("SELECT count(*) FROM \(table) WHERE \(column) = \(own)").scalar(Int64.self)
        return Visible(own: mine, others: others)
    }

    @Test func aDirectorOfOneFederationSeesNoRowOfAnotherInAnyTable() async throws {
        try await SessionAttackTests.withDemo { _, c in
            let app = try await Self.connectAsApplication(c)
            let own = try await c.query("SELECT federation_id FROM federation WHERE code = 'sodraalv'").scalar(Int64.self)
            let tables = try await Self.tables(c)
            #expect(tables.count >= 40)
            let secret = try await Self.signInKarl(app)
            let rescope = "SELECT federation, role FROM finsam_act_as_credential('\(secret)', false)"
            try await app.execute(script: "BEGIN")
            let roles = try await app.query(rescope).rows
                .map { "\(try $0.decode(String.self, at: 0)):\(try $0.decode(String.self, at: 1))" }
            #expect(roles == ["sodraalv:director"])
            let seen = try await Self.visibleRows(app, tables: tables, own: own, rescope: rescope)
            for (table, counts) in seen { #expect(counts.others == 0, "\(table): \(counts.others) rows of other federations") }
            // The director does see the own federation's books: the scope is the federation, not nothing.
            for table in ["federation", "member", "voucher", "voucher_line", "invoice", "audit_record"] {
                let mine: Int64 = seen[table]?.own ?? 0
                #expect(mine > 0, "\(table)")
            }
            try await app.execute(script: "ROLLBACK")
            // The same connection, scoped to nobody, sees no federation's rows.
            try await app.execute(script: "BEGIN")
            #expect(try await app.query("SELECT count(*) FROM voucher").scalar(Int64.self) == 0)
            try await app.execute(script: "ROLLBACK")
            await app.close()
        }
    }

    /// What injected SQL could do on the daemon's connection, holding one user's session: set any setting, call every
    /// function the application role may call, replay a scope granted to another transaction. It still sees only
    /// that user's federation (issue 16: the scope is granted by the database alone).
    @Test func injectedSQLWithOneUsersSessionSeesOnlyThatUsersFederation() async throws {
        try await SessionAttackTests.withDemo { _, c in
            let app = try await Self.connectAsApplication(c)
            let own = try await c.query("SELECT federation_id FROM federation WHERE code = 'sodraalv'").scalar(Int64.self)
            let all = try await c.query("SELECT array_agg(federation_id)::text FROM federation").scalar(String.self)
            let secret = try await Self.signInKarl(app)
            let rescope = "SELECT federation, role FROM finsam_act_as_credential('\(secret)', false)"
            try await Self.expectReplayedAndForgedScopesRefused(app, rescope: rescope, all: all)

            // Within a transaction acting with the session: the settings the scope once was, then every function the
            // role may execute, called with nulls (errors are fine: each in a savepoint).
            try await app.execute(script: "BEGIN")
            _ = try await app.query(rescope)
            try await app.execute(script: "SET LOCAL finsam.all_federations = 'on'; SET LOCAL finsam.federations = '\(all)'")
            let called = try await Self.callEveryReachableFunction(app)
            #expect(called.contains("finsam_act_as_credential"), "\(called)")
            // Whatever it did, the session's federation alone (or, after presenting a null secret, nothing).
            _ = try await app.query(rescope)
            let everyTable = try await Self.tables(c)
            let seen = try await Self.visibleRows(app, tables: everyTable, own: own, rescope: rescope)
            for (table, counts) in seen { #expect(counts.others == 0, "\(table): \(counts.others) rows of other federations") }
            let vouchers: Int64 = seen["voucher"]?.own ?? 0
            #expect(vouchers > 0)
            try await Self.expectWideningRefused(app)
            try await app.execute(script: "ROLLBACK")
            await app.close()
        }
    }

    /// A scope granted to one transaction grants nothing to the next one on the same connection, nor to one that
    /// rolled its grant back; a scope written by hand in the settings grants nothing; and the table the grants are
    /// kept in is the application role's to read, not to write, replace or imitate (schema/029).
    static func expectReplayedAndForgedScopesRefused(_ app: Connection, rescope: String, all: String) async throws {
        try await app.execute(script: "BEGIN")
        _ = try await app.query(rescope)
        #expect(try await app.query("SELECT count(*) FROM voucher").scalar(Int64.self) > 0)
        try await app.execute(script: "COMMIT")
        #expect(try await Self.vouchersSeen(app) == 0, "the next transaction, without a grant")

        try await app.execute(script: "BEGIN; SAVEPOINT granted")
        _ = try await app.query(rescope)
        try await app.execute(script: "ROLLBACK TO SAVEPOINT granted")
        #expect(try await app.query("SELECT count(*) FROM voucher").scalar(Int64.self) == 0, "a grant rolled back")
        try await app.execute(script: "ROLLBACK")

        // The settings schema/020 and schema/021 read: written by hand, they grant nothing now.
        for forged in ["SET LOCAL finsam.all_federations = 'on'; SET LOCAL finsam.federations = '\(all)'",
                       "SELECT set_config('finsam.scope', 'x:y:*|00', true)"] {
            #expect(try await Self.vouchersSeen(app, after: forged) == 0, "\(forged)")
        }

        // The grants' table: the application role may read it, and nothing else.
        try await app.execute(script: "BEGIN")
        _ = try await app.query(rescope)
        for attempt in [
            "UPDATE finsam_granted_scope SET all_federations = true",
            "UPDATE finsam_granted_scope SET federations = '\(all)'",
            "INSERT INTO finsam_granted_scope VALUES (pg_backend_pid() + 1, transaction_timestamp(), true, '\(all)')",
            "DELETE FROM finsam_granted_scope",
            "TRUNCATE finsam_granted_scope",
            "DROP TABLE finsam_granted_scope",
            "ALTER TABLE finsam_granted_scope RENAME TO mine",
            "CREATE TEMPORARY TABLE finsam_granted_scope (backend_pid int, granted_at timestamptz, all_federations boolean, federations bigint[])",
        ] {
            #expect(try await Self.stateInSavepoint(app, attempt) == "42501", "\(attempt)")
        }
        try await app.execute(script: "ROLLBACK")

        // A transaction begun read-only cannot be granted a scope: the grant writes its row.
        try await app.execute(script: "BEGIN READ ONLY")
        #expect(try await Self.stateInSavepoint(app, rescope) == "FN051")
        try await app.execute(script: "ROLLBACK")
    }

    /// The vouchers a transaction sees after `sql`, without a grant of its own.
    static func vouchersSeen(_ app: Connection, after sql: String? = nil) async throws -> Int64 {
        try await app.execute(script: "BEGIN")
        if let sql { try await app.execute(script: sql) }
        let count = try await app.query("SELECT count(*) FROM voucher").scalar(Int64.self)
        try await app.execute(script: "ROLLBACK")
        return count
    }

    /// Calls every function of the schema the application role may execute, with nulls, each in a savepoint;
    /// returns the names of those that answered.
    static func callEveryReachableFunction(_ app: Connection) async throws -> [String] {
        let functions = try await app.query(
            """
            SELECT p.proname::text, p.pronargs::int FROM pg_proc p
            WHERE p.pronamespace = 'public'::regnamespace AND has_function_privilege('finsam_app', p.oid, 'EXECUTE')
              AND p.prorettype <> 'trigger'::regtype AND p.prokind = 'f'
            """)
        #expect(functions.count >= 5)
        var called: [String] = []
        for row in functions.rows {
            let name = try row.decode(String.self, at: 0)
            let nulls = Array(repeating: "NULL", count: Int(try row.decode(Int32.self, at: 1))).joined(separator: ", ")
            if try await Self.answers(app, "SELECT \(name)(\(nulls))") { called.append(name) }
        }
        return called
    }

    /// Whether `sql` runs, in a savepoint that is rolled back when it does not.
    static func answers(_ app: Connection, _ sql: String) async throws -> Bool {
        try await app.execute(script: "SAVEPOINT attempt")
        do {
            _ = try await app.query(sql)
            try await app.execute(script: "RELEASE SAVEPOINT attempt")
            return true
        } catch {
            try await app.execute(script: "ROLLBACK TO SAVEPOINT attempt")
            return false
        }
    }

    /// The functions and tables that would widen the scope are not the application role's to use.
    static func expectWideningRefused(_ app: Connection) async throws {
        let widening = [
            "SELECT finsam_act_as('lena.lind')", "SELECT finsam_act_as_operator()", "SELECT finsam_act_as_system()",
            "SELECT finsam_act_as('lena.lind', false)", "SELECT finsam_act_as_operator(false)", "SELECT finsam_act_as_system(false)",
            "SELECT finsam_grant_scope(NULL)", "SELECT finsam_grant_scope(NULL, false)", "SELECT * FROM user_session", "SELECT * FROM api_token",
            "SELECT finsam_set_password('lena.lind', 'x', 'x')", "SELECT * FROM finsam_token_create('lena.lind', 'x', NULL, 'x')",
        ]
        for call in widening {
            let refused = try await Self.stateInSavepoint(app, call)
            #expect(refused == "42501", "\(call)")
        }
    }

    /// The SQLSTATE `sql` fails with, in a savepoint ("accepted" if it runs).
    static func stateInSavepoint(_ app: Connection, _ sql: String) async throws -> String {
        try await app.execute(script: "SAVEPOINT attempt")
        let state: String
        do {
            _ = try await app.query(sql)
            state = "accepted"
        } catch {
            state = error.sqlState ?? "\(error)"
        }
        try await app.execute(script: "ROLLBACK TO SAVEPOINT attempt")
        return state
    }
}
