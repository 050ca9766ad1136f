import FinsamCore
import FinsamService
import Foundation
import Postgres
import TestSupport
import Testing

/// The audit trail (issue 15, schema/019): one record per change and federation, chained by SHA-256; the
/// application role can neither rewrite nor skip it; and `verify` finds each way of tampering with it through SQL,
/// even by a superuser with the triggers disabled, and names the first record that no longer agrees.
@Suite struct AuditTrailTests {
    static let office = User.operator("ekonom")
    static let eva = User.person("eva")

    /// Norrdalen with a member, the economist eva, and two vouchers she posted: records 1 (the federation), 2 (the
    /// member), 3 (eva's role), 4 (voucher A-1) and 5 (voucher A-2). Sjöbygden has a chain of its own.
    static func withTrail(_ body: (Database, Connection, ConnectionConfiguration) async throws -> Void) async throws {
        try await LedgerTests.withLedger { database, connection in
            try await LedgerTests.seed(database)
            _ = try await Users(database).add(code: "eva", name: "Eva Ek", roles: [.init(federation: "norrdalen", role: .economy)], by: office)
            _ = try await Vouchers(database).post(LedgerTests.draft([(1930, 100_000), (3090, -100_000)]), to: "norrdalen", by: eva)
            _ = try await Vouchers(database).post(LedgerTests.draft([(6410, 25_050), (1930, -25_050)]), to: "norrdalen", by: eva)
            let name = try await connection.query("SELECT current_database()").rows[0].decode(String.self, at: 0)
            try await body(database, connection, try TestDatabase.adminConfiguration().database(name))
        }
    }

    @Test func everyChangeLeavesOneRecordChainedToTheOneBefore() async throws {
        try await Self.withTrail { database, connection, _ in
            let trail = AuditTrail(database)
            // A read and a refused change write nothing.
            _ = try await TrialBalanceReport(database).make(for: "norrdalen", from: CalendarDate(iso: "2024-01-01")!,
                to: CalendarDate(iso: "2024-12-31")!, by: Self.eva)
            await #expect(throws: ServiceError.self) {
                try await Vouchers(database).post(LedgerTests.draft([(1930, 100), (3090, -99)]), to: "norrdalen", by: Self.eva)
            }
            let records = try await trail.list(in: "norrdalen", by: Self.office)
            #expect(records.map(\.sequence) == [1, 2, 3, 4, 5])
            #expect(records.map(\.useCase) == ["federation.create", "member.change", "user.manage", "voucher.post", "voucher.post"])
            #expect(records.map(\.actor) == ["operator:ekonom", "operator:ekonom", "operator:ekonom", "eva", "eva"])
            // A voucher is one subject in each of its two tables; a role granted keeps what it became.
            #expect(records[3].tables == ["voucher": 1, "voucher_line": 1])
            #expect(records[2].changes.count == 1)
            #expect(records[2].changes.first?.before == nil)
            #expect(records[2].changes.first?.after?.contains("\"role\": \"economy\"") == true)
            #expect(try await trail.list(in: "norrdalen", actor: "eva", by: Self.office).map(\.sequence) == [4, 5])
            #expect(try await trail.list(in: "sjobygden", by: Self.office).map(\.useCase) == ["federation.create"])

            // The chain, recomputed by PostgreSQL's own SHA-256 (not the code that wrote it): each record's hash covers
            // the previous record's hash and its content, and the first follows 32 zero bytes.
            let links = try await connection.query(
                """
                SELECT sequence, hash = sha256(previous_hash || convert_to(content, 'UTF8')) AS hashed,
                       previous_hash = coalesce(lag(hash) OVER (ORDER BY sequence), decode(repeat('00', 32), 'hex')) AS linked
                FROM audit_record WHERE chain = (SELECT federation_id FROM federation WHERE code = 'norrdalen') ORDER BY sequence
                """)
            #expect(links.count == 5)
            for row in links.rows {
                let sequence = try row.decode(Int64.self, "sequence")
                #expect(try row.decode(Bool.self, "hashed"), "record \(sequence)")
                #expect(try row.decode(Bool.self, "linked"), "record \(sequence)")
            }
            let verification = try await trail.verify("norrdalen", by: Self.office)
            #expect(verification.problems == [])
            #expect(verification.records == 5)
            // Nothing is left noted and unsealed.
            #expect(try await connection.query("SELECT count(*) FROM audit_change").rows[0].decode(Int64.self, at: 0) == 0)
        }
    }

    @Test func theApplicationRoleCannotRewriteOrSkipTheTrail() async throws {
        try await Self.withTrail { _, connection, configuration in
            let app = try await Connection.connect(configuration.setting("user", "finsam_operator"))
            func refused(_ sql: String, _ state: String, by c: Connection) async {
                do {
                    try await c.execute(script: "BEGIN; SELECT finsam_act_as_operator(); \(sql); COMMIT;")
                    Issue.record("accepted: \(sql)")
                } catch let error as PostgresError {
                    #expect(error.sqlState == state, "\(sql): \(error)")
                } catch {
                    Issue.record("\(error)")
                }
                try? await c.execute(script: "ROLLBACK")
            }
            // No privilege to change a record, whatever the scope.
            await refused("UPDATE audit_record SET actor = 'x'", "42501", by: app)
            await refused("DELETE FROM audit_subject", "42501", by: app)
            await refused("TRUNCATE audit_record CASCADE", "42501", by: app)
            await refused("UPDATE audit_change SET chain = 0", "42501", by: app)
            await refused("ALTER TABLE audit_record DISABLE TRIGGER audit_record_immutable", "42501", by: app)
            // A change of the application role that is not sealed cannot commit.
            await refused("UPDATE member SET name = 'Ankeby' WHERE code = 'ankeby'", "FN040", by: app)
            // A statement that writes no row leaves nothing to seal, and commits (schema/024): an update that matches
            // nothing, an insert that meets its conflict.
            try await app.execute(script: """
                BEGIN; SELECT finsam_act_as_operator();
                UPDATE member SET name = 'Ingen' WHERE code = 'finns-inte';
                INSERT INTO user_role_grant (federation_id, user_code, role, granted_by)
                    SELECT federation_id, user_code, role, granted_by FROM user_role_grant WHERE user_code = 'eva' ON CONFLICT DO NOTHING;
                COMMIT;
                """)
            // A record that does not follow the chain is refused at insert.
            await refused(
                """
                INSERT INTO audit_record (chain, sequence, at, actor, use_case, subject_count, previous_hash, hash, content)
                VALUES (1, 6, now(), 'x', 'x', 0, decode(repeat('00', 32), 'hex'), sha256('x'), 'x')
                """, "FN041", by: app)
            // Not even the owner changes a record while its triggers stand.
            await refused("UPDATE audit_record SET actor = 'x' WHERE sequence = 1", "FN044", by: connection)
            await refused("DELETE FROM audit_subject WHERE sequence = 1", "FN044", by: connection)
            await app.close()
        }
    }

    /// Ways of tampering through SQL, each as a superuser with every trigger off (session_replication_role =
    /// replica), and what verify must name first.
    struct Tampering: Sendable, CustomTestStringConvertible {
        var name: String
        var sql: String
        var sequence: Int64?
        var code: String
        var testDescription: String { name }
    }

    static let chain = "(SELECT federation_id FROM federation WHERE code = 'norrdalen')"

    static let tamperings: [Tampering] = [
        Tampering(name: "a record changed", sql: """
            UPDATE audit_record SET actor = 'anna', content = replace(content, '"actor":"eva"', '"actor":"anna"')
            WHERE chain = \(chain) AND sequence = 4
            """, sequence: 4, code: "audit.record-changed"),
        Tampering(name: "a record removed", sql: """
            DELETE FROM audit_subject WHERE chain = \(chain) AND sequence = 4;
            DELETE FROM audit_record WHERE chain = \(chain) AND sequence = 4
            """, sequence: 5, code: "audit.record-missing"),
        Tampering(name: "a record's subjects changed", sql: """
            DELETE FROM audit_subject WHERE chain = \(chain) AND sequence = 4 AND table_name = 'voucher_line'
            """, sequence: 4, code: "audit.subjects-changed"),
        Tampering(name: "a voucher line changed", sql: """
            UPDATE voucher_line SET amount_ore = amount_ore + sign(amount_ore) * 100
            WHERE voucher_id = (SELECT voucher_id FROM voucher WHERE federation_id = \(chain) AND number = 1)
            """, sequence: 4, code: "audit.row-changed"),
        Tampering(name: "a voucher deleted", sql: """
            DELETE FROM voucher_line WHERE voucher_id = (SELECT voucher_id FROM voucher WHERE federation_id = \(chain) AND number = 2);
            DELETE FROM voucher WHERE federation_id = \(chain) AND number = 2
            """, sequence: 5, code: "audit.row-changed"),
        Tampering(name: "a member written around the trail", sql: """
            INSERT INTO member (federation_id, code, kind, name, orgnr) VALUES (\(chain), 'smygby', 'municipality', 'Smygby kommun', '212000-0548')
            """, sequence: nil, code: "audit.row-unrecorded"),
    ]

    @Test(arguments: tamperings)
    func verifyNamesTheFirstRecordThatNoLongerAgrees(_ tampering: Tampering) async throws {
        try await Self.withTrail { database, connection, _ in
            #expect(try await AuditTrail(database).verify("norrdalen", by: Self.office).intact)
            try await connection.execute(script: "BEGIN; SET LOCAL session_replication_role = replica; \(tampering.sql); COMMIT;")
            let verification = try await AuditTrail(database).verify("norrdalen", by: Self.office)
            #expect(verification.problems.first?.sequence == tampering.sequence, "\(verification.problems)")
            #expect(verification.problems.first?.code == tampering.code, "\(verification.problems)")
            // The other federation's chain is untouched.
            #expect(try await AuditTrail(database).verify("sjobygden", by: Self.office).intact)
        }
    }

    /// A record inserted between two others, with a hash that is right for what it says and for the record before it:
    /// the record after it no longer follows, and verify names that one.
    @Test func aRecordInsertedIntoTheChainIsFound() async throws {
        try await Self.withTrail { database, connection, _ in
            let chain = try await connection.query("SELECT federation_id FROM federation WHERE code = 'norrdalen'").rows[0].decode(Int64.self, at: 0)
            let at = try await connection.query(
                "SELECT to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"') FROM audit_record WHERE chain = $1 AND sequence = 3", [chain]
            ).rows[0].decode(String.self, at: 0)
            let forged = try AuditContent(chain: chain, federation: "norrdalen", sequence: 4, at: at, actor: "anna",
                useCase: "voucher.post", request: nil, subjectCount: 0, subjects: AuditHash.subjects([])).canonicalText()
            try await connection.execute(script: """
                BEGIN; SET LOCAL session_replication_role = replica;
                UPDATE audit_subject SET sequence = sequence + 1000 WHERE chain = \(chain) AND sequence >= 4;
                UPDATE audit_record SET sequence = sequence + 1000 WHERE chain = \(chain) AND sequence >= 4;
                UPDATE audit_record SET sequence = sequence - 999 WHERE chain = \(chain) AND sequence > 1000;
                UPDATE audit_subject SET sequence = sequence - 999 WHERE chain = \(chain) AND sequence > 1000;
                COMMIT;
                """)
            try await connection.execute(script: "BEGIN; SET LOCAL session_replication_role = replica")
            try await connection.query(
                """
                INSERT INTO audit_record (chain, sequence, at, actor, use_case, subject_count, previous_hash, hash, content)
                SELECT $1, 4, $2::timestamptz, 'anna', 'voucher.post', 0, hash, sha256(hash || convert_to($3, 'UTF8')), $3
                FROM audit_record WHERE chain = $1 AND sequence = 3
                """, [chain, at, forged])
            try await connection.execute(script: "COMMIT")
            let verification = try await AuditTrail(database).verify("norrdalen", by: Self.office)
            #expect(verification.records == 6)
            #expect(verification.problems.first?.sequence == 5, "\(verification.problems)")
            #expect(verification.problems.first?.code == "audit.chain-broken", "\(verification.problems)")
        }
    }

    @Test func aChangeTheOwnerMadeAroundTheServiceIsFound() async throws {
        try await Self.withTrail { database, connection, _ in
            // The owner may commit without a record (migrations do), but what it changed stays noted.
            try await connection.execute(script: "UPDATE member SET name = 'Ankeby kommun (ändrad)' WHERE code = 'ankeby'")
            let verification = try await AuditTrail(database).verify("norrdalen", by: Self.office)
            #expect(verification.problems.map(\.code).contains("audit.change-unsealed"), "\(verification.problems)")
        }
    }

    @Test func whoMayReadTheTrail() async throws {
        try await Self.withTrail { database, _, _ in
            _ = try await Users(database).add(code: "rut", name: "Rut Revisor", roles: [.init(federation: "norrdalen", role: .auditor)], by: Self.office)
            #expect(try await AuditTrail(database).verify("norrdalen", by: .person("rut")).intact)
            do {
                _ = try await AuditTrail(database).list(in: "sjobygden", by: .person("rut"))
                Issue.record("an auditor of norrdalen read sjobygden's trail")
            } catch let error as ServiceError {
                #expect(error.code == "rights.role-missing")
            }
        }
    }
}
