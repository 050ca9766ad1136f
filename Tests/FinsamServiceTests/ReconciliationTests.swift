import FinsamCore
import FinsamService
import Postgres
import Testing
import TestSupport

/// The checks that the books agree, on books made to agree and then made not to, one way at a time.
@Suite struct ReconciliationTests {
    static let user = LedgerTests.user
    static func day(_ text: String) -> CalendarDate { CalendarDate(iso: text)! }

    static func check(_ report: ReconciliationReport, _ kind: ReconciliationCheck.Kind) throws -> ReconciliationCheck {
        try #require(report.checks.first { $0.kind == kind })
    }

    /// BankFileImportTests' deposit: 4 000 006 kr booked of 4 500 000 invoiced, 1 234,50 kr waiting, a 500 kr
    /// deduction waiting. The receivables agree with the open items (499 994 kr, bergby's); the bank file does not
    /// agree with the ledger until the two waiting items are dealt with: 4 000 740,50 − 4 000 006 = 734,50 kr.
    @Test func waitingBankPaymentsAreTheOnlyDifferenceAfterAnImport() async throws {
        try await BankFileImportTests.withInvoices { database, _, ocr in
            let file = BgMaxTestFile(deposits: [BankFileImportTests.deposit(ocr)])
            let summary = try await BankFileImport(database).bgMax(file.bytes, fileName: "bg.txt", into: "norrdalen", by: Self.user)
            let report = try await Reconciliation(database).check("norrdalen", at: Self.day("2024-02-28"), by: Self.user)
            #expect(try Self.check(report, .vouchersBalance).agrees)
            let receivables = try Self.check(report, .receivables)
            #expect(receivables.agrees)
            #expect(receivables.ledger == Money(öre: 499_994_00))
            let bank = try Self.check(report, .bankPayments)
            #expect(bank.ledger == Money(öre: 4_000_006_00) && bank.documents == Money(öre: 4_000_740_50))
            #expect(try bank.difference == Money(öre: -734_50))
            #expect(bank.differences.map(\.documents) == [Money(öre: 1_234_50), Money(öre: -500_00)])
            #expect(bank.differences[0].document.hasPrefix("bankbetalning \(summary.unmatched[0].id) (bg.txt, rad "))
            #expect(!report.agrees)

            // Before the payment day, nothing of the file counts yet.
            let before = try await Reconciliation(database).check("norrdalen", at: Self.day("2024-02-04"), by: Self.user)
            #expect(try Self.check(before, .bankPayments).documents == .zero)
            #expect(try Self.check(before, .receivables).ledger == Money(öre: 4_500_000_00))
        }
    }

    @Test func aPostingOnTheReceivablesWithoutAnInvoiceIsNamed() async throws {
        try await BankFileImportTests.withInvoices { database, _, _ in
            let voucher = try await Vouchers(database).post(
                VoucherDraft(date: Self.day("2024-02-15"), series: "A", text: "Felbokning", lines: [
                    .init(account: 1510, amount: Money(kronor: 100)), .init(account: 1930, amount: Money(kronor: -100)),
                ]), to: "norrdalen", by: Self.user)
            let report = try await Reconciliation(database).check("norrdalen", at: Self.day("2024-02-28"), by: Self.user)
            let receivables = try Self.check(report, .receivables)
            #expect(try receivables.difference == Money(kronor: 100))
            #expect(receivables.differences.map(\.voucher) == [voucher.reference])
            #expect(receivables.differences.first?.document == "bokfört på kundfordringar utan faktura eller inbetalning: Felbokning")
            // The day before it was posted, the books agreed.
            let earlier = try await Reconciliation(database).check("norrdalen", at: Self.day("2024-02-14"), by: Self.user)
            #expect(try Self.check(earlier, .receivables).agrees)
        }
    }

    /// The database refuses a voucher that does not balance; one written past its triggers (as a superuser with
    /// replication role, as a restore gone wrong might) is still found, by its month and then by its lines.
    @Test func aVoucherThatDoesNotBalanceIsFoundEvenPastTheTriggers() async throws {
        try await LedgerTests.withLedger { database, c in
            try await LedgerTests.seed(database)
            _ = try await Vouchers(database).post(LedgerTests.draft([(1930, 100_00), (3090, -100_00)], date: "2024-03-01"), to: "norrdalen", by: Self.user)
            try await c.execute(script: """
                SET session_replication_role = replica;
                INSERT INTO voucher (federation_id, fiscal_year, series, number, voucher_date, text, source, posted_by)
                VALUES (1, 2024, 'A', 99, '2024-05-20', 'Trasig', 'manual', 'restore');
                INSERT INTO voucher_line (federation_id, voucher_id, line_number, account_number, amount_ore)
                SELECT 1, voucher_id, 1, 1930, 12345 FROM voucher WHERE number = 99;
                RESET session_replication_role;
                SELECT finsam_rebuild_month_balances(1);
                """)
            let report = try await Reconciliation(database).check("norrdalen", at: Self.day("2024-12-31"), by: Self.user)
            let balance = try Self.check(report, .vouchersBalance)
            #expect(balance.ledger == Money(öre: 12345))
            #expect(balance.differences.map(\.voucher) == [VoucherReference(year: 2024, series: "A", number: 99)])
            #expect(balance.differences.map(\.ledger) == [Money(öre: 12345)])
            // Before May the books balanced.
            #expect(try Self.check(try await Reconciliation(database).check("norrdalen", at: Self.day("2024-04-30"), by: Self.user), .vouchersBalance).agrees)
        }
    }

    @Test func aPaidDisbursementWhoseVoucherWasReversedIsNamed() async throws {
        try await LedgerTests.withLedger { database, c in
            try await LedgerTests.seed(database)
            _ = try await Members(database).add(
                MemberDetails(code: "sjostad", kind: .municipality, name: "Sjöstads kommun", orgnr: "212000-0530"), to: "sjobygden", by: Self.user)
            _ = try await Users(database).add(code: "eko", name: "Eko", roles: [RoleGrant(federation: "sjobygden", role: .economy)], by: Self.user)
            _ = try await Users(database).add(code: "chef", name: "Chef", roles: [RoleGrant(federation: "sjobygden", role: .director)], by: Self.user)
            let eko = User.person("eko"), chef = User.person("chef")
            _ = try await Interventions(database).add(
                Intervention(code: "coach", name: "Coacher", category: .individual, activeFrom: Self.day("2024-01-01"), funding: .fteRate),
                to: "sjobygden", by: Self.user)
            _ = try await FundingDecisions(database).add(
                FundingDecisionRequest(intervention: "coach", member: "sjostad", halfYear: HalfYear("2024H1")!, fte: FTE(parsing: "1")!,
                    rate: Money(kronor: 60_000), reference: BoardReference(parsing: "2023-12-01 §3")!), in: "sjobygden", by: eko)
            _ = try await Disbursements(database).prepare(in: "sjobygden", intervention: "coach", halfYear: HalfYear("2024H1")!, by: eko)
            _ = try await Disbursements(database).submit([1], in: "sjobygden", by: eko)
            _ = try await Disbursements(database).approve([1], in: "sjobygden", by: chef)
            _ = try await Disbursements(database).pay([1], in: "sjobygden", on: Self.day("2024-02-05"), file: false, by: eko)
            // 1,00 FTE × 60 000 kr for the half-year.
            let paid = try await Reconciliation(database).check("sjobygden", at: Self.day("2024-03-01"), by: Self.user)
            let disbursements = try Self.check(paid, .disbursements)
            #expect(disbursements.agrees)
            #expect(disbursements.documents == Money(kronor: 60_000))
            #expect(paid.agrees)

            let reference = try await c.query(
                "SELECT v.fiscal_year, v.series, v.number FROM disbursement d JOIN voucher v USING (federation_id, voucher_id) WHERE d.number = 1")
                .rows.map { VoucherReference(year: try $0.decode(Int.self, "fiscal_year"), series: try $0.decode(String.self, "series"),
                                              number: try $0.decode(Int.self, "number")) }[0]
            _ = try await Vouchers(database).reverse(reference, in: "sjobygden", date: Self.day("2024-02-20"), by: Self.user)
            let reversed = try await Reconciliation(database).check("sjobygden", at: Self.day("2024-03-01"), by: Self.user)
            let after = try Self.check(reversed, .disbursements)
            #expect(after.ledger == .zero && after.documents == Money(kronor: 60_000))
            #expect(after.differences.map(\.voucher) == [reference])
            #expect(after.differences.first?.document == "utbetalning 1")
        }
    }
}
