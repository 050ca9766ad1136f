import FinsamCore
import FinsamService
import Postgres
import Testing

/// Credit notes against the invoices of InvoiceRunTests' Q1 run (Ankeby 199 998 kr is invoice 1).
@Suite struct CreditNoteTests {
    static let user = LedgerTests.user
    static func day(_ text: String) -> CalendarDate { CalendarDate(iso: text)! }

    @Test func aPartialThenAFullCreditTakeTheInvoiceToZeroAndNoFurther() async throws {
        try await LedgerTests.withLedger { database, c in
            try await InvoiceRunTests.seed(database)
            _ = try await InvoiceRuns(database).run("norrdalen", period: InvoicePeriod("2024Q1")!, issueDate: Self.day("2024-01-10"), by: Self.user)
            let notes = CreditNotes(database)
            let part = try await notes.issue(invoiceNumber: 1, year: 2024, amount: Money(kronor: 99_998), reason: "fel folkmängd",
                on: Self.day("2024-01-20"), in: "norrdalen", by: Self.user)
            // Numbered in the invoices' series: invoices 1–5 exist, so the credit note is 6.
            #expect(part.number == 6)
            #expect(part.invoice.remaining == Money(kronor: 100_000))
            // 100 000 kr is left; crediting 100 001 is refused and names the invoice.
            do {
                _ = try await notes.issue(invoiceNumber: 1, year: 2024, amount: Money(kronor: 100_001), reason: "för mycket",
                    on: Self.day("2024-01-21"), in: "norrdalen", by: Self.user)
                Issue.record("a credit above what is left was accepted")
            } catch let error as ServiceError {
                #expect(error.message.contains("faktura 1 (2024): 100 000,00 kr"), "\(error.message)")
            }
            let rest = try await notes.issue(invoiceNumber: 1, year: 2024, amount: nil, reason: "ersätts av ny faktura",
                on: Self.day("2024-01-22"), in: "norrdalen", by: Self.user)
            #expect(rest.number == 7)
            #expect(rest.amount == Money(kronor: 100_000))
            #expect(rest.invoice.status == .paid)  // nothing left to pay
            // Booked: Ankeby's contribution revenue for 2024 is back to zero, and so is its receivable.
            let revenue = try await c.query(
                "SELECT sum(amount_ore)::int8 FROM voucher_line l JOIN member m USING (federation_id, member_id) WHERE m.code = 'ankeby' AND l.account_number = 3014"
            ).scalar(Int64.self)
            #expect(revenue == 0)
            // The database refuses a credit beyond the total even through SQL as the application role.
            do {
                try await c.execute(script: """
                    BEGIN; SELECT finsam_act_as_operator(); SET LOCAL ROLE finsam_app;
                    INSERT INTO credit_note (federation_id, fiscal_year, number, invoice_id, issue_date, amount_ore, reason, voucher_id, issued_by)
                    SELECT federation_id, 2024, 8, invoice_id, '2024-01-23', 100, 'x', voucher_id, 'x' FROM invoice WHERE number = 1;
                    COMMIT;
                    """)
                Issue.record("the database accepted a credit beyond the invoice's total")
            } catch let error as PostgresError {
                #expect(error.sqlState == "FN012")
            }
            try? await c.execute(script: "ROLLBACK")
            #expect(try await c.query("SELECT count(*) FROM credit_note").scalar(Int64.self) == 2)
        }
    }
}

@Suite struct MemberAccountTests {
    static let user = LedgerTests.user

    /// Ankeby: invoiced 199 998, paid 150 000, credited 49 998 → owes nothing; the statement lists the three in
    /// date order with the balance after each, and the contributions report adds up per member.
    @Test func aStatementAndTheContributionsReportFollowInvoicesCreditsAndPayments() async throws {
        try await LedgerTests.withLedger { database, _ in
            try await InvoiceRunTests.seed(database)
            _ = try await InvoiceRuns(database).run("norrdalen", period: InvoicePeriod("2024Q1")!, issueDate: CalendarDate(iso: "2024-01-10")!, by: Self.user)
            _ = try await Payments(database).register(Money(kronor: 150_000), on: CalendarDate(iso: "2024-02-01")!,
                for: .number(year: 2024, number: 1), reference: "OCR", in: "norrdalen", by: Self.user)
            _ = try await CreditNotes(database).issue(invoiceNumber: 1, year: 2024, amount: Money(kronor: 49_998), reason: "rättad folkmängd",
                on: CalendarDate(iso: "2024-02-05")!, in: "norrdalen", by: Self.user)
            let statement = try await MemberAccounts(database).statement(of: "ankeby", in: "norrdalen", by: Self.user)
            #expect(statement.entries.map(\.kind) == ["invoice", "payment", "credit-note"])
            #expect(statement.entries.map(\.balance) == [Money(kronor: 199_998), Money(kronor: 49_998), .zero])
            let report = try await MemberAccounts(database).contributions(in: "norrdalen", year: 2024, by: Self.user)
            let ankeby = try #require(report.rows.first { $0.member == "ankeby" })
            #expect(ankeby.planned == Money(kronor: 199_998))
            #expect(ankeby.owed == .zero)
            // Q1 invoiced 4 500 000 of the 8 000 000 planned; 150 000 paid, 49 998 credited.
            #expect(report.total.planned == Money(kronor: 8_000_000))
            #expect(report.total.invoiced == Money(kronor: 4_500_000))
            #expect(report.total.owed == Money(kronor: 4_500_000 - 150_000 - 49_998))
        }
    }
}
