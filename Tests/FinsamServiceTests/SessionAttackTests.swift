import FinsamCore
import FinsamService
import Postgres
import Testing
import TestSupport

/// Attacks on the demo's books through plain SQL as the application role (issue 13): the tricks a session can
/// play on the database's own guards. Each is tried in its own transaction and must be refused with the named
/// SQLSTATE; afterwards nothing of it is left.
@Suite struct SessionAttackTests {
    static let user = LedgerTests.user

    /// Norra Älvmark (federation 1) of the demo: disbursement 9 is submitted for 400 000 kr (above the delegation
    /// limit of 250 000, so the chair must approve too), 11 is a draft; both prepared by lena.lind. anna.dahl is the
    /// director, olof.strand the chair, siv.berg on the board. Invoice 2026-11 (the region's fourth quarter,
    /// 512 500 kr) is open; 2026's contributions are invoiced.
    static func withDemo(_ body: @Sendable (Database, isolated Connection) async throws -> Void) async throws {
        try await LedgerTests.withLedger { database, c in
            _ = try await DemoData(database).load(by: Self.user)
            try await body(database, c)
        }
    }

    static func disbursementID(_ c: isolated Connection, _ number: Int) async throws -> Int64 {
        try await c.query("SELECT disbursement_id FROM disbursement WHERE federation_id = 1 AND number = $1", [number]).scalar(Int64.self)
    }

    /// Runs `sql` in a transaction of its own, after `setup` run as the owner in the same transaction, and expects
    /// the database to refuse it with `expected`.
    static func expectRefused(
        _ c: isolated Connection, _ name: String, _ expected: String, setup: String = "", _ sql: String
    ) async {
        do {
            try await c.execute(script: """
                BEGIN; \(setup)
                SELECT finsam_act_as_operator(); SET LOCAL ROLE finsam_app;
                \(sql);
                COMMIT;
                """)
            Issue.record("the database accepted: \(name)")
        } catch {
            #expect(error.sqlState == expected, "\(name): \(error.fullDescription)")
        }
        try? await c.execute(script: "ROLLBACK")
    }

    /// A temporary table of the owner's, granted to the application role, named like the table a trigger reads:
    /// before migration 015 the trigger read it instead (temporary tables come first on the default search path).
    static func shadow(_ table: String, rows: String) -> String {
        """
        CREATE TEMP TABLE \(table) ON COMMIT DROP AS SELECT * FROM public.\(table) WHERE false;
        \(rows.isEmpty ? "" : "INSERT INTO pg_temp.\(table) \(rows);")
        GRANT SELECT ON pg_temp.\(table) TO finsam_app;
        """
    }

    @Test func theApplicationRoleCreatesNoTemporaryTables() async throws {
        try await Self.withDemo { _, c in
            await Self.expectRefused(c, "a temporary table", "42501", "CREATE TEMP TABLE disbursement_approval (x int)")
        }
    }

    @Test func aTemporaryTableCannotStandInForWhatATriggerReads() async throws {
        try await Self.withDemo { _, c in
            let nine = try await Self.disbursementID(c, 9)
            // The preparer, made director too, so that only the rule against approving one's own work stands in her way.
            try await c.execute(script: "INSERT INTO user_role_grant (federation_id, user_code, role, granted_by) VALUES (1, 'lena.lind', 'director', 'test')")
            // Disbursement 9 approved with no approval at all: a shadow table holds the director's and the chair's.
            await Self.expectRefused(c, "approved through shadow approvals", "FN028",
                setup: Self.shadow("disbursement_approval", rows: "VALUES (1, \(nine), 1, 'director', 'anna.dahl', now()), (1, \(nine), 1, 'chair', 'olof.strand', now())"),
                "UPDATE public.disbursement SET state = 'approved' WHERE federation_id = 1 AND disbursement_id = \(nine)")
            // The preparer approving her own, with a shadow disbursement prepared by someone else and an empty history.
            await Self.expectRefused(c, "the preparer approves her own through shadow tables", "FN029",
                setup: Self.shadow("disbursement", rows: "SELECT federation_id, disbursement_id, number, intervention_id, member_id, year, half, amount_ore, decided_ore, state, submission, 'anna.dahl', prepared_at, batch_number, voucher_id FROM public.disbursement WHERE disbursement_id = \(nine)")
                    + Self.shadow("disbursement_transition", rows: ""),
                "INSERT INTO public.disbursement_approval (federation_id, disbursement_id, submission, role, approved_by) VALUES (1, \(nine), 1, 'director', 'lena.lind')")
            // A funding decision for Försäkringskassan (member 1), which a shadow member table calls a municipality.
            await Self.expectRefused(c, "a decision for Försäkringskassan through a shadow member", "FN021",
                setup: Self.shadow("member", rows: "SELECT federation_id, member_id, code, 'municipality'::member_kind, name, orgnr, peppol_id, invoice_address, buyer_reference, created_at, invoice_schedule, member_from, member_until, payout_bankgiro, payout_bank_account FROM public.member WHERE federation_id = 1 AND code = 'fk'"),
                """
                INSERT INTO public.funding_decision (federation_id, intervention_id, member_id, year, half, first_month, last_month, model,
                    fte, head_count, rate_ore, meeting_date, paragraph, recorded_by)
                VALUES (1, 5, 1, 2027, 1, 1, 6, 'fte_rate', 1, 1, 24000000, '2026-11-20', '§ 9', 'test')
                """)
            #expect(try await c.query("SELECT state::text FROM disbursement WHERE disbursement_id = $1", [nine]).scalar(String.self) == "submitted")
            // The director's own approval of the demo, and nothing more.
            #expect(try await c.query("SELECT array_agg(approved_by) FROM disbursement_approval WHERE disbursement_id = $1", [nine])
                .scalar([String].self) == ["anna.dahl"])
            #expect(try await c.query("SELECT count(*) FROM funding_decision WHERE year = 2027").scalar(Int64.self) == 0)
        }
    }

    /// Voucher numbers count on in a transaction-local setting (schema/017); a session that sets it itself to skip
    /// numbers is refused, and numbers taken in a savepoint rolled back are given back.
    @Test func voucherNumbersStayGaplessWhateverTheSessionSets() async throws {
        try await Self.withDemo { _, c in
            let next = try await c.query(
                "SELECT coalesce(max(last_number), 0)::int8 + 1 FROM voucher_series_counter WHERE federation_id = 1 AND fiscal_year = 2026 AND series = 'A'"
            ).scalar(Int64.self)
            let insert = "INSERT INTO voucher (federation_id, series, voucher_date, text, source, posted_by) VALUES "
            let row = "(1, 'A', '2026-11-30', 'Prov', 'manual', 'x')"
            await Self.expectRefused(c, "a number beyond the counter", "FN005",
                "SELECT set_config('finsam.voucher_number_1_2026_41', '\(next + 10)', true); \(insert)\(row)")
            // A number already given: the unique key refuses it before the statement's check does.
            await Self.expectRefused(c, "a number the counter already gave", "23505",
                "SELECT set_config('finsam.voucher_number_1_2026_41', '\(next - 2)', true); \(insert)\(row)")
            try await c.execute(script: "BEGIN; SELECT finsam_act_as_operator(); SET LOCAL ROLE finsam_app")
            try await c.execute(script: "\(insert)\(row), \(row)")
            try await c.execute(script: "SAVEPOINT taken; \(insert)\(row); ROLLBACK TO SAVEPOINT taken")
            try await c.execute(script: "\(insert)\(row)")
            let numbers = try await c.query(
                "SELECT array_agg(number::int8 ORDER BY number) FROM voucher WHERE federation_id = 1 AND fiscal_year = 2026 AND series = 'A' AND number >= $1",
                [next]).scalar([Int64].self)
            let counter = try await c.query(
                "SELECT last_number::int8 FROM voucher_series_counter WHERE federation_id = 1 AND fiscal_year = 2026 AND series = 'A'"
            ).scalar(Int64.self)
            try await c.execute(script: "ROLLBACK")
            #expect(numbers == [next, next + 1, next + 2])
            #expect(counter == next + 2)
        }
    }

    @Test func approvalsComeFromPeopleWhoHoldTheRole() async throws {
        try await Self.withDemo { _, c in
            let nine = try await Self.disbursementID(c, 9)
            for (who, role) in [("siv.berg", "director"), ("siv.berg", "chair"), ("revisor", "director"), ("ingen.alls", "director"), ("anna.dahl", "chair")] {
                await Self.expectRefused(c, "\(who) approves as \(role)", "FN030",
                    "INSERT INTO disbursement_approval (federation_id, disbursement_id, submission, role, approved_by) VALUES (1, \(nine), 1, '\(role)', '\(who)')")
            }
            // The director's own approval of the demo, and nothing more.
            #expect(try await c.query("SELECT array_agg(approved_by) FROM disbursement_approval WHERE disbursement_id = $1", [nine])
                .scalar([String].self) == ["anna.dahl"])
        }
    }

    @Test func aDisbursementChangesOnlyWithItsHistory() async throws {
        try await Self.withDemo { _, c in
            let eleven = try await Self.disbursementID(c, 11)
            let narrowed = "; SELECT FROM finsam_act_as_credential('', false)"
            await Self.expectRefused(c, "a draft rejected without its transition", "FN034",
                "UPDATE disbursement SET state = 'rejected' WHERE disbursement_id = \(eleven)")
            await Self.expectRefused(c, "a draft rejected without its transition, under an empty scope", "FN034",
                "UPDATE disbursement SET state = 'rejected' WHERE disbursement_id = \(eleven)" + narrowed)
            await Self.expectRefused(c, "the preparer of a draft rewritten", "FN034",
                "UPDATE disbursement SET prepared_by = 'anna.dahl' WHERE disbursement_id = \(eleven)")
            await Self.expectRefused(c, "a transition that does not follow the last one", "FN033", """
                INSERT INTO disbursement_transition (federation_id, disbursement_id, sequence, from_state, to_state, actor)
                VALUES (1, \(eleven), 7, 'submitted', 'approved', 'anna.dahl')
                """)
            await Self.expectRefused(c, "a state and a transition that says another", "FN034", """
                UPDATE disbursement SET state = 'rejected' WHERE disbursement_id = \(eleven);
                INSERT INTO disbursement_transition (federation_id, disbursement_id, sequence, from_state, to_state, actor, comment)
                SELECT 1, \(eleven), max(sequence) + 1, 'draft', 'draft', 'lena.lind', NULL FROM disbursement_transition WHERE disbursement_id = \(eleven)
                """)
            let row = try #require(try await c.query("SELECT state::text, prepared_by FROM disbursement WHERE disbursement_id = $1", [eleven]).first)
            #expect(try row.decode(String.self, at: 0) == "draft")
            #expect(try row.decode(String.self, at: 1) == "lena.lind")
        }
    }

    @Test func anInvoicedPlanIsReplacedWholeAndKeptNeverChanged() async throws {
        try await Self.withDemo { database, c in
            let before = try await c.query(
                "SELECT array_agg(amount_ore ORDER BY member_id) FROM contribution_share WHERE federation_id = 1 AND fiscal_year = 2026"
            ).scalar([Int64].self)
            await Self.expectRefused(c, "moving 100 kr between two members' shares", "FN031", """
                UPDATE contribution_share SET amount_ore = amount_ore + 10000 WHERE federation_id = 1 AND fiscal_year = 2026 AND member_id = 4;
                UPDATE contribution_share SET amount_ore = amount_ore - 10000 WHERE federation_id = 1 AND fiscal_year = 2026 AND member_id = 5
                """)
            await Self.expectRefused(c, "a new total", "FN031",
                "UPDATE contribution_plan SET decided_by = 'någon annan' WHERE federation_id = 1 AND fiscal_year = 2026")
            await Self.expectRefused(c, "a member's share removed", "FN031",
                "DELETE FROM contribution_share WHERE federation_id = 1 AND fiscal_year = 2026 AND member_id = 4")
            await Self.expectRefused(c, "the plan removed", "FN032",
                "DELETE FROM contribution_plan WHERE federation_id = 1 AND fiscal_year = 2026")
            #expect(try await c.query(
                "SELECT array_agg(amount_ore ORDER BY member_id) FROM contribution_share WHERE federation_id = 1 AND fiscal_year = 2026"
            ).scalar([Int64].self) == before)
            #expect(try await c.query("SELECT count(*) FROM contribution_plan_replaced").scalar(Int64.self) == 0)

            // A new plan for the year replaces the old one whole, through the service; the old one is kept as it was.
            _ = try await ContributionPlans(database).plan(
                ContributionPlanRequest(year: 2026, totalKronor: 8_300_000, referenceDate: CalendarDate(iso: "2025-11-01")!),
                for: "norralv", by: Self.user)
            let kept = try #require(try await c.query(
                "SELECT (plan->>'total_ore')::int8, jsonb_array_length(shares) FROM contribution_plan_replaced WHERE federation_id = 1 AND fiscal_year = 2026"
            ).first)
            #expect(try kept.decode(Int64.self, at: 0) == 8_200_000_00)
            #expect(try kept.decode(Int32.self, at: 1) == 5)  // FK, the region and three municipalities
            #expect(try await c.query("SELECT total_ore FROM contribution_plan WHERE federation_id = 1 AND fiscal_year = 2026").scalar(Int64.self)
                == 8_300_000_00)
        }
    }

    @Test func aPaymentsReversalIsTheVoucherThatReversesIt() async throws {
        try await Self.withDemo { _, c in
            // Payment 1's reversal pointing at payment 3's voucher (a voucher that reverses nothing).
            let payment = try #require(try await c.query(
                "SELECT p.payment_id, (SELECT voucher_id FROM invoice_payment o WHERE o.federation_id = 1 AND o.payment_id <> p.payment_id LIMIT 1) FROM invoice_payment p WHERE p.federation_id = 1 ORDER BY p.payment_id LIMIT 1"
            ).first)
            let (id, unrelated) = (try payment.decode(Int64.self, at: 0), try payment.decode(Int64.self, at: 1))
            await Self.expectRefused(c, "a reversal naming an unrelated voucher", "FN035", """
                INSERT INTO invoice_payment_reversal (federation_id, payment_id, reversed_on, reason, voucher_id, reversed_by)
                VALUES (1, \(id), '2026-11-02', 'fel', \(unrelated), 'test')
                """)
            #expect(try await c.query("SELECT count(*) FROM invoice_payment_reversal").scalar(Int64.self) == 0)
        }
    }

    /// Two sessions credit the open invoice 2026-11 (512 500 kr) by 300 000 kr each. The second must wait for the
    /// first's lock on the invoice, then see its credit note and be refused: together they would pass the total.
    /// (With the lock FOR SHARE both held it at once and both committed.)
    @Test func twoCreditNotesOfOneInvoiceAreCheckedOneAfterTheOther() async throws {
        try await Self.withDemo { database, c in
            let invoice = try #require(try await c.query(
                "SELECT invoice_id, voucher_id, total_ore FROM invoice WHERE federation_id = 1 AND fiscal_year = 2026 AND number = 11").first)
            let (invoiceID, voucherID) = (try invoice.decode(Int64.self, at: 0), try invoice.decode(Int64.self, at: 1))
            #expect(try invoice.decode(Int64.self, at: 2) == 512_500_00)
            let credit = """
                SELECT finsam_act_as_operator(); SET LOCAL ROLE finsam_app;
                INSERT INTO credit_note (federation_id, fiscal_year, number, invoice_id, issue_date, amount_ore, reason, voucher_id, issued_by)
                VALUES (1, 2026, NULL, \(invoiceID), '2026-11-02', 30000000, 'kredit', \(voucherID), 'test');
                """
            try await c.execute(script: "BEGIN; \(credit)")
            let second = Task {
                try await database.pool.withConnection { other in
                    do {
                        try await other.execute(script: "BEGIN; \(credit) COMMIT;")
                    } catch {
                        try? await other.execute(script: "ROLLBACK")
                        throw error
                    }
                }
            }
            // Wait until the second session is blocked on the first's lock of the invoice row (asked on a connection of
            // the owner's: the application role does not see other sessions' waits).
            var waited = 0
            while try await database.pool.withConnection({ observer in
                try await observer.query(
                    "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()"
                ).scalar(Int64.self)
            }) == 0 {
                waited += 1
                if waited > 400 { break }
                try await Task.sleep(for: .milliseconds(25))
            }
            #expect(waited <= 400, "the second credit note did not wait for the first")
            try await c.execute(script: "COMMIT")
            do {
                try await second.value
                Issue.record("two credit notes of 300 000 kr were accepted on an invoice of 512 500 kr")
            } catch let error as PostgresError {
                #expect(error.sqlState == "FN012", "\(error.fullDescription)")
            }
            #expect(try await c.query("SELECT sum(amount_ore)::int8 FROM credit_note WHERE invoice_id = $1", [invoiceID]).scalar(Int64.self)
                == 300_000_00)
        }
    }
}
