import FinsamCore
import FinsamService
import Postgres
import Testing

/// Payments registered by hand against the invoices of InvoiceRunTests' Q1 run (DOMAIN.md plan).
@Suite struct PaymentTests {
    static let user = LedgerTests.user

    @Test func paymentsMoveAnInvoiceFromOpenToPaidAndBeyond() async throws {
        try await LedgerTests.withLedger { database, c in
            try await InvoiceRunTests.seed(database)
            let run = try await InvoiceRuns(database).run(
                "norrdalen", period: InvoicePeriod("2024Q1")!, issueDate: CalendarDate(iso: "2024-01-10")!, by: Self.user)
            let ankeby = try #require(run.invoices.first { $0.member == "ankeby" })  // 199 998 kr, due 2024-02-09
            let payments = Payments(database)
            let day = { (text: String) in CalendarDate(iso: text)! }

            let part = try await payments.register(Money(kronor: 100_000), on: day("2024-02-01"), for: .ocr(ankeby.ocr),
                reference: ankeby.ocr, in: "norrdalen", by: Self.user)
            #expect(part.invoice.status == .partlyPaid)
            #expect(part.invoice.remaining == Money(kronor: 99_998))
            let rest = try await payments.register(Money(kronor: 99_998), on: day("2024-02-20"),
                for: .number(year: 2024, number: ankeby.number), reference: nil, in: "norrdalen", by: Self.user)
            #expect(rest.invoice.status == .paid)
            let extra = try await payments.register(Money(öre: 50), on: day("2024-02-21"),
                for: .number(year: 2024, number: ankeby.number), reference: nil, in: "norrdalen", by: Self.user)
            #expect(extra.invoice.status == .overpaid)
            #expect(extra.invoice.remaining == Money(öre: -50))

            // On 2024-02-15 Ankeby had paid 100 000 of 199 998 and was 6 days late (due 2024-02-09); the
            // other four Q1 invoices were unpaid and equally late.
            let midway = try await payments.openItems(in: "norrdalen", at: day("2024-02-15"), by: Self.user)
            #expect(midway.count == 5)
            let ankebyThen = try #require(midway.first { $0.member == "ankeby" })
            #expect(ankebyThen.paid == Money(kronor: 100_000))
            #expect(ankebyThen.daysOverdue == 6)
            // Later, Ankeby is overpaid (still an open item, with a credit) and the others are unpaid.
            let later = try await payments.openItems(in: "norrdalen", at: day("2024-03-01"), by: Self.user)
            #expect(later.map(\.status).filter { $0 == .overpaid }.count == 1)
            #expect(later.reduce(Money.zero) { $0 + $1.remaining } == Money(kronor: 4_500_000 - 199_998) - Money(öre: 50))

            // Booked: the receivable is what is left, 4 500 000 − 199 998,50 kr.
            let receivable = try await c.query(
                "SELECT sum(amount_ore)::int8 FROM voucher_line WHERE account_number = 1510").scalar(Int64.self)
            #expect(receivable == 4_500_000_00 - 199_998_50)
        }
    }

    @Test func aPaymentThatNamesNoInvoiceIsRefusedAndWritesNothing() async throws {
        try await LedgerTests.withLedger { database, c in
            try await InvoiceRunTests.seed(database)
            _ = try await InvoiceRuns(database).run(
                "norrdalen", period: InvoicePeriod("2024Q1")!, issueDate: CalendarDate(iso: "2024-01-10")!, by: Self.user)
            let payments = Payments(database)
            for (identifier, message) in [
                (InvoiceIdentifier.ocr("240000193"), "kontrollsiffra"),  // 2400001, length 9, Luhn digit 0: …190, not …193
                (.number(year: 2024, number: 99), "faktura 99 för 2024 finns inte"),
            ] {
                do {
                    _ = try await payments.register(Money(kronor: 1), on: CalendarDate(iso: "2024-02-01")!, for: identifier,
                        reference: nil, in: "norrdalen", by: Self.user)
                    Issue.record("a payment for \(identifier) was registered")
                } catch let error as ServiceError {
                    #expect(error.message.contains(message), "\(error.message)")
                }
            }
            #expect(try await c.query("SELECT count(*) FROM invoice_payment").scalar(Int64.self) == 0)
            #expect(try await c.query("SELECT count(*) FROM voucher WHERE series = 'I'").scalar(Int64.self) == 0)
        }
    }
}
