import FinsamCore
import FinsamService
import Foundation
import Postgres
import TestSupport
import Testing

/// Funding decisions and disbursements against a real PostgreSQL: the amounts of DOMAIN.md's worked examples,
/// supersession, the approval flow and its guards (in the service and, through plain SQL, in the database), two
/// approvals at the same moment, payment with its voucher and its pain.001 file, and the commitments report.
@Suite struct FundingTests {
    static let office = User.operator("ekonom")
    static let eva = User.person("eva")
    static let erik = User.person("erik")
    static let dan = User.person("dan")
    static let disa = User.person("disa")
    static let ola = User.person("ola")
    static let h1 = HalfYear("2024H1")!

    /// Norrdalen with the municipalities Ankeby, Ekeby and Storby (and the region), an fte-rate intervention
    /// `se` and a fixed one `samordnare`; Sjöbygden beside it. People: eva and erik (economy), dan and disa
    /// (directors), ola (chair) in Norrdalen; dan is nobody in Sjöbygden.
    static func seed(_ database: Database) async throws {
        _ = try await Federations(database).create(code: "norrdalen", name: "Norrdalen", orgnr: "222000-0018", seatMunicipality: nil, by: office)
        _ = try await Federations(database).create(code: "sjobygden", name: "Sjöbygden", orgnr: "222000-0026", seatMunicipality: nil, by: office)
        for (code, name, orgnr) in [("ankeby", "Ankeby kommun", "212000-0530"), ("ekeby", "Ekeby kommun", "212000-0712"),
                                    ("storby", "Storby kommun", "212000-0720")] {
            _ = try await Members(database).add(MemberDetails(code: code, kind: .municipality, name: name, orgnr: orgnr), to: "norrdalen", by: office)
        }
        _ = try await Members(database).add(
            MemberDetails(code: "region", kind: .region, name: "Region Exempellän", orgnr: "232100-0990"), to: "norrdalen", by: office)
        _ = try await Members(database).add(
            MemberDetails(code: "sjostad", kind: .municipality, name: "Sjöstads kommun", orgnr: "212000-0530"), to: "sjobygden", by: office)
        for (code, funding) in [("se", FundingModel.fteRate), ("samordnare", .fixed)] {
            _ = try await Interventions(database).add(
                Intervention(code: code, name: code == "se" ? "SE-Exempel" : "Samordnare", category: .individual,
                    activeFrom: CalendarDate(iso: "2024-01-01")!, funding: funding), to: "norrdalen", by: office)
        }
        let users = Users(database)
        _ = try await users.add(code: "eva", name: "Eva", roles: [.init(federation: "norrdalen", role: .economy)], by: office)
        _ = try await users.add(code: "erik", name: "Erik", roles: [.init(federation: "norrdalen", role: .economy)], by: office)
        _ = try await users.add(code: "dan", name: "Dan", roles: [.init(federation: "norrdalen", role: .director)], by: office)
        _ = try await users.add(code: "disa", name: "Disa", roles: [.init(federation: "norrdalen", role: .director)], by: office)
        _ = try await users.add(code: "ola", name: "Ola", roles: [.init(federation: "norrdalen", role: .chair)], by: office)
    }

    static func fteDecision(
        _ member: String, fte: String, heads: Int? = nil, rate: Int64 = 240_000, ref: String = "2023-11-23 §7",
        from: String? = nil, to: String? = nil, half: HalfYear = h1
    ) -> FundingDecisionRequest {
        FundingDecisionRequest(
            intervention: "se", member: member, halfYear: half, from: from.flatMap(YearMonth.init), to: to.flatMap(YearMonth.init),
            fte: FTE(parsing: fte)!, heads: heads, rate: Money(kronor: rate), reference: BoardReference(parsing: ref)!)
    }

    static func adjustment(_ member: String, _ from: String, _ to: String, _ change: FundingAdjustmentRequest.Change,
                           intervention: String = "se") -> FundingAdjustmentRequest {
        FundingAdjustmentRequest(intervention: intervention, member: member, halfYear: h1, from: YearMonth(from)!, to: YearMonth(to)!, change: change)
    }

    /// The issue's decision table: 240 000 kr per FTE and half-year; Storby's 2,00 FTE had 1,00 vacant in May and
    /// June. By hand: Ankeby 0,50 × 240 000 = 120 000; Ekeby 1,25 × 240 000 = 300 000; Storby 4 × 2 × 40 000 +
    /// 2 × 1 × 40 000 = 400 000; together 3,75 FTE, 6 coaches, 820 000.
    static func decideTheExample(_ database: Database) async throws {
        let decisions = FundingDecisions(database)
        _ = try await decisions.add(fteDecision("ankeby", fte: "0.50", heads: 1), in: "norrdalen", by: eva)
        _ = try await decisions.add(fteDecision("ekeby", fte: "1.25", heads: 2), in: "norrdalen", by: eva)
        _ = try await decisions.add(fteDecision("storby", fte: "2.00", heads: 3), in: "norrdalen", by: eva)
        _ = try await decisions.adjust(adjustment("storby", "2024-05", "2024-06", .fte(FTE(parsing: "1.00")!)), in: "norrdalen", by: eva)
    }

    @Test func theDecisionTableAddsUpAsTheBoardPublishesIt() async throws {
        try await LedgerTests.withLedger { database, _ in
            try await Self.seed(database)
            try await Self.decideTheExample(database)
            let table = try await DecisionReports(database).table(in: "norrdalen", intervention: "se", halfYear: Self.h1, by: Self.office)
            #expect(table.columns.map(\.member) == ["ankeby", "ekeby", "storby"])
            #expect(table.columns.map { $0.fte?.description } == ["0.50", "1.25", "2.00"])
            #expect(table.columns.map(\.heads) == [1, 2, 3])
            #expect(table.columns.map(\.amountKronor) == [120_000, 300_000, 400_000])
            #expect(table.totalFTE == FTE(parsing: "3.75"))
            #expect(table.totalHeads == 6)
            #expect(table.totalKronor == 820_000)
        }
    }

    /// DOMAIN.md's two worked examples. 1,00 FTE at 240 000, March–April at 50 % of a full-time post:
    /// 4 × 1,00 × 40 000 + 2 × 0,50 × 40 000 = 200 000. A fixed 150 000 vacant the last two months: 150 000 × 4/6 = 100 000.
    @Test func theWorkedExamplesOfTheDomain() async throws {
        try await LedgerTests.withLedger { database, _ in
            try await Self.seed(database)
            let decisions = FundingDecisions(database)
            _ = try await decisions.add(Self.fteDecision("ankeby", fte: "1.00"), in: "norrdalen", by: Self.eva)
            let adjusted = try await decisions.adjust(
                Self.adjustment("ankeby", "2024-03", "2024-04", .percent(FTE(percentOfFullTime: "50")!)), in: "norrdalen", by: Self.eva)
            #expect(adjusted.amountKronor == 200_000)
            #expect(adjusted.months.map(\.amount) == [40_000, 40_000, 20_000, 20_000, 40_000, 40_000].map { Money(kronor: $0) })

            _ = try await decisions.add(
                FundingDecisionRequest(intervention: "samordnare", member: "ekeby", halfYear: Self.h1, amount: Money(kronor: 150_000),
                    reference: BoardReference(parsing: "2023-11-23 §8")!), in: "norrdalen", by: Self.eva)
            let vacant = try await decisions.adjust(
                Self.adjustment("ekeby", "2024-05", "2024-06", .vacant, intervention: "samordnare"), in: "norrdalen", by: Self.eva)
            #expect(vacant.amountKronor == 100_000)
        }
    }

    /// 1,00 FTE decided in November; in March the board decides 0,50 from April. By hand: 3 × 40 000 + 3 × 20 000 =
    /// 180 000. Both decisions stay visible; the first stands for January–March only.
    @Test func aLaterMeetingsDecisionSupersedesTheEarlierForTheMonthsItCovers() async throws {
        try await LedgerTests.withLedger { database, _ in
            try await Self.seed(database)
            let decisions = FundingDecisions(database)
            _ = try await decisions.add(Self.fteDecision("ankeby", fte: "1.00"), in: "norrdalen", by: Self.eva)
            let later = try await decisions.add(
                Self.fteDecision("ankeby", fte: "0.50", ref: "2024-03-14 §4", from: "2024-04", to: "2024-06"), in: "norrdalen", by: Self.eva)
            #expect(later.amountKronor == 180_000)
            #expect(later.decisions.count == 2)
            #expect(later.decisions.map(\.standsFor) == [[1, 2, 3], [4, 5, 6]])
        }
    }

    @Test func badDecisionsAreRefusedWithTheirReasonAndWriteNothing() async throws {
        try await LedgerTests.withLedger { database, c in
            try await Self.seed(database)
            let decisions = FundingDecisions(database)
            _ = try await decisions.add(Self.fteDecision("ankeby", fte: "1.00"), in: "norrdalen", by: Self.eva)
            _ = try await decisions.adjust(Self.adjustment("ankeby", "2024-03", "2024-04", .vacant), in: "norrdalen", by: Self.eva)
            func refused(_ fragment: String, _ body: () async throws -> Void) async {
                do {
                    try await body()
                    Issue.record("accepted; expected a refusal mentioning \"\(fragment)\"")
                } catch let error as ServiceError {
                    #expect(error.message.contains(fragment), "\(error.message)")
                } catch {
                    Issue.record("\(error)")
                }
            }
            await refused("orimlig") { _ = try await decisions.add(Self.fteDecision("ekeby", fte: "20.5"), in: "norrdalen", by: Self.eva) }
            await refused("större än 0 kr") { _ = try await decisions.add(Self.fteDecision("ekeby", fte: "1", rate: 0), in: "norrdalen", by: Self.eva) }
            await refused("utanför halvåret") {
                _ = try await decisions.add(Self.fteDecision("ekeby", fte: "1", from: "2024-06", to: "2024-07"), in: "norrdalen", by: Self.eva)
            }
            await refused("inte en kommun") { _ = try await decisions.add(Self.fteDecision("region", fte: "1"), in: "norrdalen", by: Self.eva) }
            await refused("inte medlem") { _ = try await decisions.add(Self.fteDecision("sjostad", fte: "1"), in: "norrdalen", by: Self.eva) }
            await refused("samma månad") {
                _ = try await decisions.add(Self.fteDecision("ankeby", fte: "0.5", ref: "2023-11-23 §9", from: "2024-06"), in: "norrdalen", by: Self.eva)
            }
            await refused("överlappar") {
                _ = try await decisions.adjust(Self.adjustment("ankeby", "2024-04", "2024-05", .vacant), in: "norrdalen", by: Self.eva)
            }
            await refused("tjänst × schablon") {
                _ = try await decisions.add(
                    FundingDecisionRequest(intervention: "se", member: "ekeby", halfYear: Self.h1, amount: Money(kronor: 1),
                        reference: BoardReference(parsing: "2023-11-23 §1")!), in: "norrdalen", by: Self.eva)
            }
            await refused("det kräver en av rollerna ekonom eller administratör") { _ = try await decisions.add(Self.fteDecision("ekeby", fte: "1"), in: "norrdalen", by: Self.dan) }
            #expect(try await c.query("SELECT count(*) FROM funding_decision").scalar(Int64.self) == 1)
            #expect(try await c.query("SELECT count(*) FROM funding_adjustment").scalar(Int64.self) == 1)
            // The database's own guard: a second decision of the same meeting for an overlapping month, in plain SQL.
            let error = await #expect(throws: PostgresError.self) {
                try await c.execute(script: """
                    INSERT INTO funding_decision (federation_id, intervention_id, member_id, year, half, first_month, last_month, model,
                        fte, head_count, rate_ore, meeting_date, paragraph, recorded_by)
                    SELECT federation_id, intervention_id, member_id, year, half, 6, 6, model, 1, 1, rate_ore, meeting_date, '§99', 'sql'
                    FROM funding_decision
                    """)
            }
            #expect(error?.sqlState == "FN022")
            await #expect(throws: PostgresError.self) { try await c.execute(script: "UPDATE funding_decision SET fte = 2") }
        }
    }

    /// Prepared, submitted, approved; preparing again changes nothing and a single member is refused; a later
    /// decision that lowers Ekeby's amount prepares the difference, negative.
    @Test func preparingIsIdempotentAndPreparesTheDifferenceAfterAChangedDecision() async throws {
        try await LedgerTests.withLedger { database, _ in
            try await Self.seed(database)
            try await Self.decideTheExample(database)
            let disbursements = Disbursements(database)
            let first = try await disbursements.prepare(in: "norrdalen", intervention: "se", halfYear: Self.h1, by: Self.eva)
            #expect(first.map(\.outcome) == [.created, .created, .created])
            #expect(first.map(\.amount) == [120_000, 300_000, 400_000].map { Money(kronor: $0) })
            let again = try await disbursements.prepare(in: "norrdalen", intervention: "se", halfYear: Self.h1, by: Self.eva)
            #expect(again.map(\.outcome) == [.unchanged, .unchanged, .unchanged])
            _ = try await disbursements.submit([2], in: "norrdalen", by: Self.eva)
            _ = try await disbursements.approve([2], in: "norrdalen", by: Self.dan)
            await #expect(throws: ServiceError.self) {
                _ = try await disbursements.prepare(in: "norrdalen", intervention: "se", halfYear: Self.h1, member: "ekeby", by: Self.eva)
            }
            // From April Ekeby is funded 1,00 FTE instead of 1,25: 3 × 50 000 + 3 × 40 000 = 270 000, 30 000 less.
            _ = try await FundingDecisions(database).add(
                Self.fteDecision("ekeby", fte: "1.00", heads: 1, ref: "2024-03-14 §5", from: "2024-04"), in: "norrdalen", by: Self.eva)
            let changed = try await disbursements.prepare(in: "norrdalen", intervention: "se", halfYear: Self.h1, member: "ekeby", by: Self.eva)
            #expect(changed.map(\.outcome) == [.created])
            #expect(changed.first?.decided == Money(kronor: 270_000))
            #expect(changed.first?.amount == Money(kronor: -30_000))
            #expect(changed.first?.number == 4)
        }
    }

    @Test func theApprovalFlowFollowsTheRules() async throws {
        try await LedgerTests.withLedger { database, c in
            try await Self.seed(database)
            try await Self.decideTheExample(database)
            _ = try await FederationDisbursements(database).update(
                "norrdalen", DisbursementSettingsChange(delegationLimit: .set(Money(kronor: 250_000))), by: Self.office)
            // Erik is an economist and also a director: he may approve, but not what he prepared or submitted.
            _ = try await Users(database).grant([.init(federation: "norrdalen", role: .director)], to: "erik", by: Self.office)
            let disbursements = Disbursements(database)
            _ = try await disbursements.prepare(in: "norrdalen", intervention: "se", halfYear: Self.h1, by: Self.erik)
            _ = try await disbursements.submit([1, 2, 3], in: "norrdalen", by: Self.eva)
            let own = await #expect(throws: ServiceError.self) { _ = try await disbursements.approve([1], in: "norrdalen", by: Self.erik) }
            #expect(own?.kind == .forbidden)
            // An economist may not approve; a director of another federation has no right here.
            await #expect(throws: ServiceError.self) { _ = try await disbursements.approve([1], in: "norrdalen", by: Self.eva) }
            _ = try await Users(database).add(code: "sven", name: "Sven", roles: [.init(federation: "sjobygden", role: .director)], by: Self.office)
            let stranger = await #expect(throws: ServiceError.self) {
                _ = try await disbursements.approve([1], in: "norrdalen", by: User.person("sven"))
            }
            #expect(stranger?.kind == .forbidden)
            // Below the limit (120 000) the director's approval is enough.
            let small = try await disbursements.approve([1], in: "norrdalen", by: Self.dan)
            #expect(small.first?.approved == true)
            // Above it (300 000) the chair must approve as well, in either order.
            let byChair = try await disbursements.approve([2], in: "norrdalen", by: Self.ola)
            #expect(byChair.first?.approved == false)
            #expect(try await disbursements.find(2, in: "norrdalen", by: Self.office).state == .submitted)
            let byDirector = try await disbursements.approve([2], in: "norrdalen", by: Self.dan)
            #expect(byDirector.first?.approved == true)
            // Returned with a comment, then resubmitted: the earlier round's approvals no longer count.
            _ = try await disbursements.approve([3], in: "norrdalen", by: Self.dan)
            _ = try await disbursements.returnForChanges([3], in: "norrdalen", comment: "Fel period", by: Self.ola)
            _ = try await disbursements.submit([3], in: "norrdalen", by: Self.eva)
            let third = try await disbursements.find(3, in: "norrdalen", by: Self.office)
            #expect(third.state == .submitted)
            #expect(third.currentApprovals.isEmpty)
            #expect(third.transitions.map(\.to) == [.draft, .submitted, .returned, .submitted])
            #expect(third.transitions[2].comment == "Fel period")
            await #expect(throws: ServiceError.self) { _ = try await disbursements.reject([3], in: "norrdalen", comment: " ", by: Self.dan) }
            _ = try await disbursements.reject([3], in: "norrdalen", comment: "Avslås", by: Self.dan)
            // Paid → draft does not exist, not even in plain SQL; the history cannot be rewritten.
            _ = try await disbursements.pay([1], in: "norrdalen", on: CalendarDate(iso: "2024-01-25")!, file: false, by: Self.eva)
            await #expect(throws: ServiceError.self) { _ = try await disbursements.submit([1], in: "norrdalen", by: Self.eva) }
            let back = await #expect(throws: PostgresError.self) {
                try await c.execute(script: "UPDATE disbursement SET state = 'draft', voucher_id = NULL, batch_number = NULL WHERE number = 1")
            }
            #expect(back?.sqlState == "FN027")
            let rewrite = await #expect(throws: PostgresError.self) {
                try await c.execute(script: "UPDATE disbursement_transition SET actor = 'someone' WHERE sequence = 1")
            }
            #expect(rewrite?.sqlState == "FN003")
            // Approving in plain SQL as the one who prepared it is refused by the database too.
            _ = try await disbursements.prepare(in: "norrdalen", intervention: "se", halfYear: HalfYear("2024H1")!, member: "storby", by: Self.eva)
            _ = try await disbursements.submit([4], in: "norrdalen", by: Self.erik)
            let sqlOwn = await #expect(throws: PostgresError.self) {
                try await c.execute(script: """
                    INSERT INTO disbursement_approval (federation_id, disbursement_id, submission, role, approved_by)
                    SELECT federation_id, disbursement_id, submission, 'director', 'erik' FROM disbursement WHERE number = 4
                    """)
            }
            #expect(sqlOwn?.sqlState == "FN029")
            let unapproved = await #expect(throws: PostgresError.self) {
                try await c.execute(script: "UPDATE disbursement SET state = 'approved' WHERE number = 4")
            }
            #expect(unapproved?.sqlState == "FN028")
        }
    }

    /// Two directors approve the same disbursement at the same moment, on two connections: exactly one transition.
    @Test func twoApprovalsAtTheSameMomentMakeExactlyOneTransition() async throws {
        try await LedgerTests.withLedger { database, c in
            try await Self.seed(database)
            try await Self.decideTheExample(database)
            let disbursements = Disbursements(database)
            _ = try await disbursements.prepare(in: "norrdalen", intervention: "se", halfYear: Self.h1, by: Self.eva)
            _ = try await disbursements.submit([1], in: "norrdalen", by: Self.eva)
            // Hold the row so that both approvals are waiting when it is released.
            try await c.execute(script: "BEGIN; SELECT 1 FROM disbursement WHERE number = 1 FOR UPDATE")
            @Sendable func approved(by user: User) async -> Bool {
                do {
                    _ = try await disbursements.approve([1], in: "norrdalen", by: user)
                    return true
                } catch {
                    return false
                }
            }
            async let first = approved(by: Self.dan)
            async let second = approved(by: Self.disa)
            // Wait (at most 10 s, on a busy machine) until an approval is blocked on the row, then a little longer
            // for the other to arrive; the outcome below must hold however they interleave.
            var waiting: Int64 = 0
            var polls = 0
            while waiting < 1 && polls < 200 {
                polls += 1
                try await Task.sleep(for: .milliseconds(50))
                waiting = try await c.query(
                    "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()").scalar(Int64.self)
            }
            try await Task.sleep(for: .milliseconds(500))
            try await c.execute(script: "COMMIT")
            let outcomes = [await first, await second]
            #expect(waiting >= 1, "an approval was waiting for the row")
            #expect(outcomes.filter { $0 }.count == 1, "one approval made the transition, the other was refused")
            #expect(try await c.query(
                "SELECT count(*) FROM disbursement_transition WHERE to_state = 'approved'").scalar(Int64.self) == 1)
            #expect(try await c.query("SELECT count(*) FROM disbursement_approval").scalar(Int64.self) == 1)
        }
    }

    @Test func payingPostsTheVoucherAndWritesAPain001FileTheSchemaAccepts() async throws {
        try await LedgerTests.withLedger { database, c in
            try await Self.seed(database)
            try await Self.decideTheExample(database)
            let disbursements = Disbursements(database)
            _ = try await disbursements.prepare(in: "norrdalen", intervention: "se", halfYear: Self.h1, by: Self.eva)
            _ = try await disbursements.submit([1, 2, 3], in: "norrdalen", by: Self.eva)
            _ = try await disbursements.approve([1, 2, 3], in: "norrdalen", by: Self.dan)
            // Without the accounts the file is refused and nothing is paid.
            await #expect(throws: ServiceError.self) {
                _ = try await disbursements.pay(nil, in: "norrdalen", on: CalendarDate(iso: "2024-01-25")!, file: true, by: Self.eva)
            }
            #expect(try await c.query("SELECT count(*) FROM voucher").scalar(Int64.self) == 0)
            _ = try await FederationDisbursements(database).update("norrdalen", DisbursementSettingsChange(
                payerIBAN: "SE4550000000058398257466", payerBIC: "ESSESESS"), by: Self.office)
            let members = Members(database)
            _ = try await members.setPayoutAccount("ankeby", in: "norrdalen", bankgiro: "5050-1055", bankAccount: nil, by: Self.office)
            _ = try await members.setPayoutAccount("ekeby", in: "norrdalen", bankgiro: nil, bankAccount: "6000-123456789", by: Self.office)
            _ = try await members.setPayoutAccount("storby", in: "norrdalen", bankgiro: "5050-1055", bankAccount: nil, by: Self.office)
            let batch = try await disbursements.pay(nil, in: "norrdalen", on: CalendarDate(iso: "2024-01-25")!, file: true, by: Self.eva)
            #expect(batch.disbursements.map(\.state) == [.paid, .paid, .paid])
            #expect(batch.total == Money(kronor: 820_000))
            // Each voucher: 4020 debit on the intervention and member, 1930 credit.
            let lines = try await c.query(
                """
                SELECT v.source::text, l.account_number, l.amount_ore, m.code FROM voucher v JOIN voucher_line l USING (federation_id, voucher_id)
                LEFT JOIN member m ON m.federation_id = l.federation_id AND m.member_id = l.member_id
                ORDER BY v.voucher_id, l.line_number
                """).rows.map { [try $0.decode(String.self, at: 0), String(try $0.decode(Int.self, at: 1)),
                                 String(try $0.decode(Int64.self, at: 2)), try $0.decode(String?.self, at: 3) ?? ""] }
            #expect(lines == [
                ["disbursement", "4020", "12000000", "ankeby"], ["disbursement", "1930", "-12000000", ""],
                ["disbursement", "4020", "30000000", "ekeby"], ["disbursement", "1930", "-30000000", ""],
                ["disbursement", "4020", "40000000", "storby"], ["disbursement", "1930", "-40000000", ""],
            ])
            let xml = try #require(batch.file)
            #expect(xml.contains("<CtrlSum>820000.00</CtrlSum>"))
            #expect(xml.contains("<NbOfTxs>3</NbOfTxs>"))
            #expect(xml.contains("<Id>50501055</Id>"))
            #expect(xml.contains("<Id>6000123456789</Id>"))
            let file = FileManager.default.temporaryDirectory.appendingPathComponent("pain001-\(UUID().uuidString).xml")
            try Data(xml.utf8).write(to: file)
            defer { try? FileManager.default.removeItem(at: file) }
            let validation = try await Pain001Validator.check(file)
            #expect(validation.valid, "\(validation.errors)")
            // The same batch again gives the same file.
            #expect(try await disbursements.batch(batch.number, in: "norrdalen", by: Self.office).file == xml)
            // It is the file the bank was sent (schema/026): after Ekeby's account changes and Ankeby's is removed,
            // the batch still gives it, and the stored file cannot be changed, not even by the tables' owner.
            _ = try await members.setPayoutAccount("ekeby", in: "norrdalen", bankgiro: "5050-1055", bankAccount: nil, by: Self.office)
            _ = try await members.setPayoutAccount("ankeby", in: "norrdalen", bankgiro: nil, bankAccount: nil, by: Self.office)
            #expect(try await disbursements.batch(batch.number, in: "norrdalen", by: Self.office).file == xml)
            do {
                try await c.query("UPDATE disbursement_batch_file SET pain001 = 'x'")
                Issue.record("the stored pain.001 file was changed")
            } catch {
                #expect((error as? PostgresError)?.sqlState == "FN003")
            }
            // Paying twice is impossible: nothing is approved any longer.
            await #expect(throws: ServiceError.self) {
                _ = try await disbursements.pay([1], in: "norrdalen", on: CalendarDate(iso: "2024-01-26")!, file: false, by: Self.eva)
            }
        }
    }

    /// Budget 700 000 for `se` in 2024; decided 820 000 (the example); approved 120 000 + 300 000, of which 120 000
    /// paid. Remaining of the budget: 700 000 − 820 000 = −120 000. With blocking on, approving Storby's 400 000
    /// (420 000 + 400 000 > 700 000) is refused; without it, it is a warning.
    @Test func theCommitmentsReportAndTheBudgetCheckOnApproval() async throws {
        try await LedgerTests.withLedger { database, _ in
            try await Self.seed(database)
            try await Self.decideTheExample(database)
            _ = try await Budgets(database).set(
                BudgetLine(kind: .budget, year: 2024, account: nil, intervention: "se", amount: Money(kronor: 700_000)), in: "norrdalen", by: Self.office)
            let disbursements = Disbursements(database)
            _ = try await disbursements.prepare(in: "norrdalen", intervention: "se", halfYear: Self.h1, by: Self.eva)
            _ = try await disbursements.submit([1, 2, 3], in: "norrdalen", by: Self.eva)
            _ = try await disbursements.approve([1, 2], in: "norrdalen", by: Self.dan)
            _ = try await disbursements.pay([1], in: "norrdalen", on: CalendarDate(iso: "2024-01-25")!, file: false, by: Self.eva)
            let report = try await DecisionReports(database).commitments(in: "norrdalen", year: 2024, by: Self.office)
            let se = try #require(report.lines.first { $0.intervention == "se" })
            #expect(se.budget == Money(kronor: 700_000))
            #expect(se.decided == Money(kronor: 820_000))
            #expect(se.approved == Money(kronor: 420_000))
            #expect(se.paid == Money(kronor: 120_000))
            #expect(se.remaining == Money(kronor: -120_000))
            _ = try await FederationDisbursements(database).update("norrdalen", DisbursementSettingsChange(budgetOverrunBlocks: true), by: Self.office)
            await #expect(throws: ServiceError.self) { _ = try await disbursements.approve([3], in: "norrdalen", by: Self.dan) }
            _ = try await FederationDisbursements(database).update("norrdalen", DisbursementSettingsChange(budgetOverrunBlocks: false), by: Self.office)
            let warned = try await disbursements.approve([3], in: "norrdalen", by: Self.dan)
            #expect(warned.first?.warning != nil)
            #expect(warned.first?.approvedIncludingThis == Money(kronor: 820_000))
        }
    }
}
