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
            #expect(try later.sum(\.remaining) == Money(öre: (4_500_000 - 199_998) * 100 - 50))

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
            // A payment dated before its invoice (issued 2024-01-10) is refused with both dates.
            do {
                _ = try await payments.register(Money(kronor: 1), on: CalendarDate(iso: "2023-12-01")!, for: .number(year: 2024, number: 1),
                    reference: nil, in: "norrdalen", by: Self.user)
                Issue.record("a payment before its invoice was registered")
            } catch let error as ServiceError {
                #expect(error.message == "en inbetalning den 2023-12-01 kan inte gälla faktura 1 (2024), som är daterad 2024-01-10")
            }
            #expect(try await c.query("SELECT count(*) FROM invoice_payment").scalar(Int64.self) == 0)
            #expect(try await c.query("SELECT count(*) FROM voucher WHERE series = 'I'").scalar(Int64.self) == 0)
        }
    }
}

/// A payment registered against the wrong invoice is reversed, never changed, and registered again.
@Suite struct PaymentReversalTests {
    static let user = LedgerTests.user
    static func day(_ text: String) -> CalendarDate { CalendarDate(iso: text)! }

    @Test func aReversedPaymentLeavesTheInvoiceOpenAndTheBankAsBefore() async throws {
        try await LedgerTests.withLedger { database, c in
            try await InvoiceRunTests.seed(database)
            let run = try await InvoiceRuns(database).run(
                "norrdalen", period: InvoicePeriod("2024Q1")!, issueDate: Self.day("2024-01-10"), by: Self.user)
            let ankeby = try #require(run.invoices.first { $0.member == "ankeby" })  // 199 998 kr
            let payments = Payments(database)
            let wrong = try await payments.register(Money(kronor: 199_998), on: Self.day("2024-02-01"),
                for: .number(year: 2024, number: ankeby.number), reference: nil, in: "norrdalen", by: Self.user)
            #expect(wrong.invoice.status == .paid)

            let reversed = try await payments.reverse(wrong.voucher, on: Self.day("2024-02-03"), reason: "fel faktura",
                in: "norrdalen", by: Self.user)
            #expect(reversed.invoice.status == .open)
            #expect(reversed.invoice.paid == .zero)
            #expect(reversed.invoice.remaining == Money(kronor: 199_998))
            // Bank 1930: +199 998 then −199 998; the payment's voucher is untouched and the reversal points to it.
            let bank = try await c.query("SELECT coalesce(sum(amount_ore), 0)::int8 FROM voucher_line WHERE account_number = 1930").scalar(Int64.self)
            #expect(bank == 0)
            // Between the payment and its reversal the invoice was paid; the open items say so at each date.
            let before = try await payments.openItems(in: "norrdalen", at: Self.day("2024-02-02"), by: Self.user)
            #expect(!before.contains { $0.member == "ankeby" })
            let after = try await payments.openItems(in: "norrdalen", at: Self.day("2024-02-03"), by: Self.user)
            #expect(after.first { $0.member == "ankeby" }?.remaining == Money(kronor: 199_998))
            // Once only, and never before the payment.
            let twice = await #expect(throws: ServiceError.self) {
                try await payments.reverse(wrong.voucher, on: Self.day("2024-02-04"), reason: "igen", in: "norrdalen", by: Self.user)
            }
            #expect(twice?.message.contains("redan återförd") == true)
            let other = try await payments.register(Money(kronor: 10), on: Self.day("2024-02-10"),
                for: .number(year: 2024, number: ankeby.number), reference: nil, in: "norrdalen", by: Self.user)
            await #expect(throws: ServiceError.self) {
                try await payments.reverse(other.voucher, on: Self.day("2024-02-09"), reason: "för tidigt", in: "norrdalen", by: Self.user)
            }
            // A payment's voucher is reversed with the payment, never on its own (the invoice would still count it).
            let alone = await #expect(throws: ServiceError.self) {
                try await Vouchers(database).reverse(other.voucher, in: "norrdalen", date: Self.day("2024-02-11"), by: Self.user)
            }
            #expect(alone?.code == "voucher.belongs-to-payment")
            #expect(alone?.message.contains("vänds genom att betalningen återförs") == true)
            // The reversal cannot be changed or deleted.
            await #expect(throws: PostgresError.self) {
                try await c.query("DELETE FROM invoice_payment_reversal")
            }
            let statement = try await MemberAccounts(database).statement(of: "ankeby", in: "norrdalen", by: Self.user)
            #expect(statement.entries.map(\.kind) == ["invoice", "payment", "payment-reversal", "payment"])
            #expect(statement.entries.last?.balance == Money(kronor: 199_998 - 10))
        }
    }
}
