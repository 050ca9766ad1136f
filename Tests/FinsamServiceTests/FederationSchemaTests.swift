import FinsamService
import Postgres
import TestSupport
import Testing

/// The first migration's tables guard themselves: the application role is no superuser, row-level security
/// separates federations, and an organisationsnummer must pass its Luhn check.
@Suite struct FederationSchemaTests {
    static func migrated(_ body: (Connection) async throws -> Void) async throws {
        try await TestDatabase.withConnection { c in
            _ = try await Migrator().migrate(on: c)
            try await body(c)
        }
    }

    static func seedTwoFederations(_ c: Connection) async throws {
        // Orgnr with valid check digits (Luhn, computed by hand): 222000-0018, 222000-0026, 212000-0530.
        try await c.execute(
            script: """
                INSERT INTO federation (code, name, orgnr) VALUES
                  ('hoglandet', 'Samordningsförbundet Höglandet', '222000-0018'),
                  ('finnveden', 'Finsam Finnveden', '222000-0026');
                INSERT INTO member (federation_id, code, kind, name, orgnr)
                  SELECT federation_id, 'aneby', 'municipality', 'Aneby kommun', '212000-0530' FROM federation WHERE code = 'hoglandet';
                INSERT INTO member (federation_id, code, kind, name, orgnr)
                  SELECT federation_id, 'gnosjo', 'municipality', 'Gnosjö kommun', '212000-0530' FROM federation WHERE code = 'finnveden';
                INSERT INTO member_population (federation_id, member_id, year, population, reference_date)
                  SELECT federation_id, member_id, 2024, 6915, '2022-11-01' FROM member;
                """)
    }

    @Test func theApplicationRoleIsNoSuperuserAndCannotBypassRowSecurity() async throws {
        try await Self.migrated { c in
            let row = try #require(
                try await c.query("SELECT rolsuper, rolbypassrls, rolcreaterole, rolcreatedb FROM pg_roles WHERE rolname = 'finsam_app'").first)
            #expect(try row.decode(Bool.self, at: 0) == false)
            #expect(try row.decode(Bool.self, at: 1) == false)
            #expect(try row.decode(Bool.self, at: 2) == false)
            #expect(try row.decode(Bool.self, at: 3) == false)
        }
    }

    @Test(arguments: ["federation", "member", "member_population"])
    func aSessionScopedToOneFederationSeesNoRowOfAnother(_ table: String) async throws {
        try await Self.migrated { c in
            try await Self.seedTwoFederations(c)
            let hoglandet = try await c.query("SELECT federation_id FROM federation WHERE code = 'hoglandet'").scalar(Int.self)
            let (visible, foreign, unscoped) = try await c.transaction { tx in
                try await tx.execute(script: "SET LOCAL ROLE finsam_app")
                let unscoped = try await tx.query("SELECT count(*) FROM \(table)").scalar(Int.self)
                // The scope as the database grants it (schema/021), then back to the application role.
                try await tx.execute(script: "RESET ROLE")
                try await tx.query("SELECT finsam_grant_scope($1::bigint[])", ["{\(hoglandet)}"])
                try await tx.execute(script: "SET LOCAL ROLE finsam_app")
                let visible = try await tx.query("SELECT count(*) FROM \(table)").scalar(Int.self)
                let foreign = try await tx.query("SELECT count(*) FROM \(table) WHERE federation_id <> $1", [hoglandet]).scalar(Int.self)
                return (visible, foreign, unscoped)
            }
            #expect(unscoped == 0, "an unscoped session sees nothing")
            #expect(visible == 1)
            #expect(foreign == 0)
        }
    }

    @Test func theApplicationRoleCannotWriteIntoAnotherFederation() async throws {
        try await Self.migrated { c in
            try await Self.seedTwoFederations(c)
            let ids = try await c.query("SELECT array_agg(federation_id ORDER BY code) FROM federation").scalar([Int].self)
            let (finnveden, hoglandet) = (ids[0], ids[1])
            let error = try await #require(throws: PostgresError.self) {
                try await c.transaction { tx in
                    try await tx.query("SELECT finsam_grant_scope($1::bigint[])", ["{\(hoglandet)}"])
                    try await tx.execute(script: "SET LOCAL ROLE finsam_app")
                    try await tx.query(
                        "INSERT INTO member (federation_id, code, kind, name, orgnr) VALUES ($1, 'intruder', 'municipality', 'X', '212000-0530')",
                        [finnveden])
                }
            }
            #expect(error.sqlState == "42501", "row-level security refuses the row")
        }
    }

    @Test(arguments: [
        ("212000-0530", true), ("222000-0018", true), ("212000-0531", false), ("2120000530", false), ("21200-00530", false),
    ])
    func organisationNumbersMustPassTheLuhnCheck(_ orgnr: String, _ valid: Bool) async throws {
        try await Self.migrated { c in
            #expect(try await c.query("SELECT finsam_orgnr_valid($1)", [orgnr]).scalar(Bool.self) == valid)
            if !valid {
                let error = try await #require(throws: PostgresError.self) {
                    try await c.query("INSERT INTO federation (code, name, orgnr) VALUES ('x1', 'X', $1)", [orgnr])
                }
                #expect(error.constraint == "federation_orgnr_valid")
            }
        }
    }
}

/// What every migration must keep (schema/015): the guards hold against what a session can do to its own
/// environment. A new function or amount column that forgets them fails here.
@Suite struct SchemaGuardTests {
    @Test func everyFunctionHasAFixedSearchPathAndEveryTriggerRunsAsTheOwner() async throws {
        try await FederationSchemaTests.migrated { c in
            let functions = try await c.query(
                """
                SELECT p.proname, p.prosecdef, p.prorettype = 'trigger'::regtype AS is_trigger,
                       coalesce(p.proconfig, '{}') AS config
                FROM pg_proc p WHERE p.pronamespace = 'public'::regnamespace ORDER BY 1
                """)
            #expect(functions.count >= 25)
            for row in functions.rows {
                let name = try row.decode(String.self, "proname")
                // Qualified names instead, so that the planner inlines them (a SET clause forbids it).
                if ["finsam_visible", "finsam_account_group"].contains(name) { continue }
                // Other settings may follow (the audit trail's digests fix the time zone and date style).
                #expect(try row.decode([String].self, "config").first == "search_path=pg_catalog, public, pg_temp", "\(name)")
                if try row.decode(Bool.self, "is_trigger") {
                    #expect(try row.decode(Bool.self, "prosecdef"), "\(name) runs as the session's role")
                }
            }
            // And the planner does inline it: the plan computes the group itself, it calls no function.
            let plan = try await c.query("EXPLAIN VERBOSE SELECT finsam_account_group(account_number) FROM account").rows
                .map { try $0.decode(String.self, at: 0) }.joined(separator: "\n")
            #expect(plan.contains("left((account_number)::text, 4)") || plan.contains("\"left\"((account_number)::text, 4)"), "\(plan)")
            #expect(!plan.contains("finsam_account_group"), "\(plan)")
        }
    }

    @Test func everyAmountColumnIsBoundedByTheLimit() async throws {
        try await FederationSchemaTests.migrated { c in
            let unbounded = try await c.query(
                """
                SELECT col.table_name || '.' || col.column_name
                FROM information_schema.columns col
                JOIN information_schema.tables t USING (table_schema, table_name)
                WHERE col.table_schema = 'public' AND t.table_type = 'BASE TABLE' AND col.column_name LIKE '%\\_ore'
                  AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conrelid = (col.table_name)::regclass
                                  AND k.conname = col.table_name || '_' || col.column_name || '_within_limit')
                """)
            #expect(try unbounded.rows.map { try $0.decode(String.self, at: 0) } == [])
            let counted = try await c.query(
                "SELECT count(*) FROM pg_constraint WHERE conname LIKE '%\\_ore\\_within\\_limit'").scalar(Int64.self)
            #expect(counted >= 15)
        }
    }
}
