import FinsamCore
import FinsamService
import Postgres
import Testing

/// The accounts Finsam posts to are the federation's settings (issue 14, schema/017): an office whose books came
/// over with another chart points them elsewhere, and invoicing, payments and the reconciliation follow.
@Suite struct PostingAccountTests {
    static let user = LedgerTests.user

    @Test func invoicesAndPaymentsBookOnTheFederationsAccountsAndStillReconcile() async throws {
        try await LedgerTests.withLedger { database, c in
            try await InvoiceRunTests.seed(database)
            let accounts = Accounts(database)
            _ = try await accounts.add(Account(number: 193_010, name: "Bank, koncernkonto"), to: "norrdalen", by: Self.user)
            _ = try await accounts.add(Account(number: 1511, name: "Fordringar på medlemmar"), to: "norrdalen", by: Self.user)
            let settings = PostingAccountSettings(database)
            try await settings.set(.bank, to: 193_010, in: "norrdalen", by: Self.user)
            try await settings.set(.receivables, to: 1511, in: "norrdalen", by: Self.user)
            let listed = try await settings.list(of: "norrdalen", by: Self.user)
            #expect(listed.first { $0.purpose == "bank" }?.account == 193_010)
            #expect(listed.first { $0.purpose == "receivables" }?.accountName == "Fordringar på medlemmar")
            #expect(listed.first { $0.purpose == "contributions:municipality" }?.account == 3014)

            let run = try await InvoiceRuns(database).run(
                "norrdalen", period: InvoicePeriod("2024Q1")!, issueDate: CalendarDate(iso: "2024-01-10")!, by: Self.user)
            let ankeby = try #require(run.invoices.first { $0.member == "ankeby" })
            _ = try await Payments(database).register(Money(kronor: 100_000), on: CalendarDate(iso: "2024-02-01")!,
                for: .ocr(ankeby.ocr), reference: ankeby.ocr, in: "norrdalen", by: Self.user)

            func sum(_ account: Int) async throws -> Int64 {
                try await c.query("SELECT coalesce(sum(amount_ore), 0)::int8 FROM voucher_line WHERE account_number = $1", [account])
                    .scalar(Int64.self)
            }
            // Q1 invoices 4 500 000 kr (InvoiceRunTests), less Ankeby's 100 000 paid; nothing on the template's accounts.
            #expect(try await sum(1511) == (4_500_000 - 100_000) * 100)
            #expect(try await sum(193_010) == 100_000 * 100)
            #expect(try await sum(1510) == 0)
            #expect(try await sum(1930) == 0)
            let report = try await Reconciliation(database).check("norrdalen", at: CalendarDate(iso: "2024-03-01")!, by: Self.user)
            #expect(report.agrees, "\(report)")
            #expect(report.checks.first { $0.kind == .receivables }?.ledger == Money(kronor: 4_400_000))
        }
    }

    @Test func aPurposeTakesOnlyAnAccountOfItsClassThatTheChartHas() async throws {
        try await LedgerTests.withLedger { database, c in
            try await LedgerTests.seed(database)
            let settings = PostingAccountSettings(database)
            for (purpose, account, message) in [
                (PostingPurpose.bank, 2091, "Bank: konto 2091 är inte ett tillgångskonto (klass 1)"),
                (.broughtForward, 1930, "Balanserat resultat (skillnad i ingående balans): konto 1930 är inte ett konto för eget kapital (2000–2099)"),
                (.disbursementCost, 3090, "Kostnad för utbetalningar till insatser: konto 3090 är inte ett kostnadskonto (klass 4–7)"),
                (.bank, 1931, "konto 1931 finns inte i norrdalens kontoplan"),
            ] {
                do {
                    try await settings.set(purpose, to: account, in: "norrdalen", by: Self.user)
                    Issue.record("\(purpose) \(account) was accepted")
                } catch let error as ServiceError {
                    #expect(error.message == message)
                }
            }
            // The database refuses it itself, whoever writes: the class by a CHECK, a removal by a trigger.
            await #expect(throws: PostgresError.self) {
                try await c.query("UPDATE posting_account SET account_number = 2091 WHERE purpose = 'bank'")
            }
            await #expect(throws: PostgresError.self) {
                try await c.query("DELETE FROM posting_account WHERE purpose = 'bank'")
            }
        }
    }
}
