import FinsamCore
import FinsamService
import Postgres
import Testing
import TestSupport

/// Bank files of incoming payments against the invoices of InvoiceRunTests' Q1 run (DOMAIN.md plan): ankeby
/// 199 998, bergby 599 994, dalby 1 200 008, region 500 000 and fk 2 000 000 kr, numbers 1–5, due 2024-02-09.
@Suite struct BankFileImportTests {
    static let user = LedgerTests.user

    /// Runs `body` with norrdalen's Q1 invoices issued, bankgiro 991-2346 set, and the invoices' OCR references.
    static func withInvoices(_ body: @Sendable (Database, isolated Connection, [String: String]) async throws -> Void) async throws {
        try await LedgerTests.withLedger { database, c in
            try await InvoiceRunTests.seed(database)
            let run = try await InvoiceRuns(database).run(
                "norrdalen", period: InvoicePeriod("2024Q1")!, issueDate: CalendarDate(iso: "2024-01-10")!, by: Self.user)
            _ = try await FederationInvoicing(database).update("norrdalen", bankgiro: "991-2346", dueDays: nil, by: Self.user)
            let ocr = Dictionary(uniqueKeysWithValues: run.invoices.map { ($0.member, $0.ocr) })
            try await body(database, c, ocr)
        }
    }

    /// One deposit on 2024-02-05: ankeby pays in full by OCR; bergby pays 100 000 by OCR; the region pays
    /// 500 000 with no reference but its organisation number; dalby and fk are paid together by one payment with
    /// two extra references (1 200 008 + 2 000 000); someone pays 1 234,50 with nothing to go on; and a payer
    /// deducts 500. The deposit: 199 998 + 100 000 + 500 000 + 3 200 008 + 1 234,50 − 500 = 4 000 740,50 kr.
    static func deposit(_ ocr: [String: String], serial: Int = 41) -> BgMaxTestFile.Deposit {
        BgMaxTestFile.Deposit(bankgiro: "9912346", date: "20240205", serial: serial, payments: [
            .init(reference: ocr["ankeby"]!, öre: 199_998_00, payerName: "Ankeby kommun"),
            .init(reference: ocr["bergby"]!, öre: 100_000_00),
            .init(öre: 500_000_00, referenceCode: 1, payerIdentity: "002321000990", payerName: "Region Norr"),
            .init(reference: "\(ocr["dalby"]!) \(ocr["fk"]!)", öre: 3_200_008_00, referenceCode: 3, extraReferences: [ocr["dalby"]!, ocr["fk"]!]),
            .init(öre: 1_234_50, referenceCode: 1),
            .init(reference: "99999", öre: 500_00, referenceCode: 4, isDeduction: true),
        ])
    }

    @Test func aFileBooksWhatMatchesAndKeepsTheRestWithItsReason() async throws {
        try await Self.withInvoices { database, c, ocr in
            let file = BgMaxTestFile(deposits: [Self.deposit(ocr)])
            let summary = try await BankFileImport(database).bgMax(file.bytes, fileName: "bgmax-0205.txt", into: "norrdalen", by: Self.user)
            #expect(summary.deposits == 1 && summary.payments.count == 6)
            #expect(summary.matched.count == 4)
            #expect(summary.vouchers == 5)  // the payment of two invoices is booked as two invoice payments
            #expect(try summary.bookedAmount == Money(öre: 4_000_006_00))
            let allocations = summary.matched.flatMap(\.allocations)
            #expect(allocations.map(\.invoiceNumber) == [1, 2, 4, 3, 5])
            #expect(allocations.map(\.matchedBy) == [.ocr, .ocr, .amountAndPayer, .ocr, .ocr])
            #expect(allocations.map(\.amount.öre) == [199_998_00, 100_000_00, 500_000_00, 1_200_008_00, 2_000_000_00])
            #expect(summary.unmatched.map(\.amount.öre) == [1_234_50, 500_00])
            #expect(summary.unmatched[0].unmatchedReason == "ingen referens och inget organisationsnummer för betalaren")
            #expect(summary.unmatched[1].kind == .deduction)

            // The bank account got what was matched; the receivable keeps bergby's 499 994 kr.
            let bank = try await c.query("SELECT sum(amount_ore)::int8 FROM voucher_line WHERE account_number = 1930").scalar(Int64.self)
            #expect(bank == 4_000_006_00)
            let open = try await Payments(database).openItems(in: "norrdalen", at: CalendarDate(iso: "2024-02-28")!, by: Self.user)
            #expect(open.map(\.member) == ["bergby"])
            #expect(open.first?.remaining == Money(öre: 499_994_00))

            let waiting = try await BankPayments(database).unmatched(in: "norrdalen", by: Self.user)
            #expect(waiting.map(\.amount.öre) == [1_234_50, 500_00])
        }
    }

    @Test func aFileOrADepositReadAgainImportsNothingTwice() async throws {
        try await Self.withInvoices { database, c, ocr in
            let file = BgMaxTestFile(deposits: [Self.deposit(ocr)])
            let importer = BankFileImport(database)
            _ = try await importer.bgMax(file.bytes, fileName: "a.txt", into: "norrdalen", by: Self.user)
            let again = try await importer.bgMax(file.bytes, fileName: "a-copy.txt", into: "norrdalen", by: Self.user)
            #expect(again.alreadyImported && again.payments.isEmpty)
            // Another file (written later) that carries the same deposit and a new one: only the new one is read.
            var later = BgMaxTestFile(deposits: [Self.deposit(ocr), .init(bankgiro: "9912346", date: "20240206", serial: 42, payments: [
                .init(reference: ocr["bergby"]!, öre: 1_00),
            ])])
            later.writtenAt = "20240206060000000000"
            let next = try await importer.bgMax(later.bytes, fileName: "b.txt", into: "norrdalen", by: Self.user)
            #expect(next.depositsAlreadyImported == 1 && next.deposits == 1)
            #expect(next.payments.map(\.amount.öre) == [1_00])
            #expect(try await c.query("SELECT count(*) FROM voucher WHERE series = 'I'").scalar(Int64.self) == 6)
            #expect(try await c.query("SELECT count(*) FROM bank_payment").scalar(Int64.self) == 7)
            #expect(try await c.query("SELECT count(*) FROM import_file WHERE kind = 'bgmax'").scalar(Int64.self) == 2)
        }
    }

    @Test func aWaitingPaymentIsMatchedByHandOnce() async throws {
        try await Self.withInvoices { database, c, ocr in
            let file = BgMaxTestFile(deposits: [Self.deposit(ocr)])
            let summary = try await BankFileImport(database).bgMax(file.bytes, fileName: "a.txt", into: "norrdalen", by: Self.user)
            let unknown = summary.unmatched[0], deduction = summary.unmatched[1]
            let bankPayments = BankPayments(database)
            let matched = try await bankPayments.match(unknown.id, to: .number(year: 2024, number: 2), in: "norrdalen", by: Self.user)
            #expect(matched.unmatchedReason == nil)
            #expect(matched.allocations.map(\.matchedBy) == [.hand])
            #expect(matched.allocations.map(\.amount) == [Money(öre: 1_234_50)])
            // bergby: 599 994 − 100 000 − 1 234,50 = 498 759,50 left.
            let open = try await Payments(database).openItems(in: "norrdalen", at: CalendarDate(iso: "2024-02-28")!, by: Self.user)
            #expect(open.first { $0.member == "bergby" }?.remaining == Money(öre: 498_759_50))
            #expect(try await bankPayments.unmatched(in: "norrdalen", by: Self.user).map(\.id) == [deduction.id])

            await #expect(throws: ServiceError.self) {
                _ = try await bankPayments.match(unknown.id, to: .number(year: 2024, number: 3), in: "norrdalen", by: Self.user)
            }
            await #expect(throws: ServiceError.self) {
                _ = try await bankPayments.match(deduction.id, to: .number(year: 2024, number: 3), in: "norrdalen", by: Self.user)
            }
            #expect(try await c.query("SELECT count(*) FROM bank_payment_allocation").scalar(Int64.self) == 6)
        }
    }

    /// The 500 kr deduction pays no invoice: the economist posts a voucher (bank −500 against 6410) and settles
    /// the deduction with it. A voucher that moves the bank by another amount is refused, by the service and by
    /// the database, and a voucher settles one bank payment only.
    @Test func aPaymentThatPaysNoInvoiceIsSettledByAVoucher() async throws {
        try await Self.withInvoices { database, c, ocr in
            let file = BgMaxTestFile(deposits: [Self.deposit(ocr)])
            let summary = try await BankFileImport(database).bgMax(file.bytes, fileName: "a.txt", into: "norrdalen", by: Self.user)
            let unknown = summary.unmatched[0], deduction = summary.unmatched[1]
            let vouchers = Vouchers(database)
            func post(_ öre: Int64) async throws -> VoucherReference {
                try await vouchers.post(VoucherDraft(date: CalendarDate(iso: "2024-02-05")!, series: "A", text: "Avdrag", lines: [
                    .init(account: 1930, amount: Money(öre: öre)), .init(account: 6410, amount: Money(öre: -öre)),
                ]), to: "norrdalen", by: Self.user).reference
            }
            let wrong = try await post(-400_00), right = try await post(-500_00)
            let bankPayments = BankPayments(database)
            do {
                _ = try await bankPayments.settle(deduction.id, with: wrong, in: "norrdalen", by: Self.user)
                Issue.record("a voucher of −400 kr settled a deduction of 500 kr")
            } catch let error as ServiceError {
                #expect(error.message == "verifikation \(wrong) bokför -400,00 kr på bankkontot 1930, men bankbetalningen är -500,00 kr")
            }
            let settled = try await bankPayments.settle(deduction.id, with: right, in: "norrdalen", by: Self.user)
            #expect(settled.settlement == right && settled.unmatchedReason == nil)
            await #expect(throws: ServiceError.self) {
                _ = try await bankPayments.settle(unknown.id, with: right, in: "norrdalen", by: Self.user)
            }
            #expect(try await bankPayments.unmatched(in: "norrdalen", by: Self.user).map(\.id) == [unknown.id])

            // The bank check now differs by the 1 234,50 kr still waiting, and nothing else.
            let report = try await Reconciliation(database).check("norrdalen", at: CalendarDate(iso: "2024-02-28")!, by: Self.user)
            let bank = try #require(report.checks.first { $0.kind == .bankPayments })
            #expect(try bank.difference == Money(öre: -1_234_50))
            #expect(bank.differences.map(\.documents) == [Money(öre: 1_234_50)])

            // Past the service: the database refuses the wrong voucher for the payment still waiting (checked at commit).
            let wrongID = try await c.query("SELECT voucher_id FROM voucher WHERE series = 'A' AND number = $1", [wrong.number]).scalar(Int64.self)
            do {
                try await c.execute(script: """
                    BEGIN; SELECT finsam_act_as_operator(); SET LOCAL ROLE finsam_app;
                    INSERT INTO bank_payment_voucher (federation_id, bank_payment_id, voucher_id, settled_by) VALUES (1, \(unknown.id), \(wrongID), 'test');
                    UPDATE bank_payment SET unmatched_reason = NULL WHERE bank_payment_id = \(unknown.id);
                    COMMIT;
                    """)
                Issue.record("the database accepted a voucher of another amount")
            } catch let error as PostgresError {
                #expect(error.sqlState == "23514")
            }
            try? await c.execute(script: "ROLLBACK")
        }
    }

    /// The 1 234,50 kr with nothing to go on turns out to pay two invoices: 1 000,00 of bergby's and 234,50 of
    /// fk's. Parts that do not add up to the payment, or a split without amounts, are refused and write nothing.
    @Test func aWaitingPaymentIsSplitByHandOverTwoInvoices() async throws {
        try await Self.withInvoices { database, c, ocr in
            let file = BgMaxTestFile(deposits: [Self.deposit(ocr)])
            let unknown = try await BankFileImport(database).bgMax(file.bytes, fileName: "a.txt", into: "norrdalen", by: Self.user).unmatched[0]
            let bankPayments = BankPayments(database)
            let vouchersBefore = try await c.query("SELECT count(*) FROM voucher").scalar(Int64.self)
            for (parts, message) in [
                ([(InvoiceIdentifier.number(year: 2024, number: 2), Optional(Money(kronor: 1_000))), (.number(year: 2024, number: 5), Money(kronor: 200))],
                 "beloppen summerar till 1 200,00 kr, men bankbetalningen är 1 234,50 kr"),
                ([(InvoiceIdentifier.number(year: 2024, number: 2), nil), (.number(year: 2024, number: 5), Money(kronor: 200))],
                 "när betalningen delas på flera fakturor ska varje faktura ha sitt belopp"),
            ] {
                do {
                    _ = try await bankPayments.match(unknown.id, to: parts, in: "norrdalen", by: Self.user)
                    Issue.record("a split was accepted: \(message)")
                } catch let error as ServiceError {
                    #expect(error.message == message)
                }
            }
            #expect(try await c.query("SELECT count(*) FROM voucher").scalar(Int64.self) == vouchersBefore)

            let split = try await bankPayments.match(unknown.id, to: [
                (.number(year: 2024, number: 2), Money(kronor: 1_000)), (.ocr(ocr["fk"]!), Money(öre: 234_50)),
            ], in: "norrdalen", by: Self.user)
            #expect(split.allocations.map(\.invoiceNumber) == [2, 5])
            #expect(split.allocations.map(\.amount) == [Money(kronor: 1_000), Money(öre: 234_50)])
            #expect(try await c.query("SELECT count(*) FROM voucher").scalar(Int64.self) == vouchersBefore + 2)
        }
    }

    @Test func theDatabaseKeepsBankPaymentsAsGivenAndAllocatedWhole() async throws {
        try await Self.withInvoices { database, c, ocr in
            let file = BgMaxTestFile(deposits: [Self.deposit(ocr)])
            let summary = try await BankFileImport(database).bgMax(file.bytes, fileName: "a.txt", into: "norrdalen", by: Self.user)
            let unknown = summary.unmatched[0].id
            // A payment of 10 kr registered by hand, linked to nothing yet.
            let byHand = try await Payments(database).register(Money(kronor: 10), on: CalendarDate(iso: "2024-02-06")!,
                for: .number(year: 2024, number: 2), reference: nil, in: "norrdalen", by: Self.user)
            let handPayment = try await c.query(
                "SELECT p.payment_id FROM invoice_payment p JOIN voucher v USING (federation_id, voucher_id) WHERE v.number = $1 AND v.series = 'I'",
                [byHand.voucher.number]).scalar(Int64.self)
            for (name, role, expected, sql) in [
                // The owner is refused by the triggers; the application role may not even try (column privileges).
                ("changing an amount", "", "FN003", "UPDATE bank_payment SET amount_ore = 1 WHERE bank_payment_id = \(unknown)"),
                ("changing an amount", "SET LOCAL ROLE finsam_app;", "42501", "UPDATE bank_payment SET amount_ore = 1 WHERE bank_payment_id = \(unknown)"),
                ("deleting a deposit", "", "FN003", "DELETE FROM bank_deposit"),
                // 1 234,50 kr linked to an invoice payment of 10 kr: not the bank payment's amount (checked at commit).
                ("a partial allocation", "SET LOCAL ROLE finsam_app;", "23514", """
                    INSERT INTO bank_payment_allocation (federation_id, bank_payment_id, payment_id, matched_by, matched_by_user)
                    VALUES (1, \(unknown), \(handPayment), 'hand', 'test')
                    """),
                // The same, with the session's scope narrowed to nothing before COMMIT: the check at commit still sees
                // the rows it checks (it runs as the owner), where row-level security hid them from it before.
                ("a partial allocation under an empty scope", "SET LOCAL ROLE finsam_app;", "23514", """
                    INSERT INTO bank_payment_allocation (federation_id, bank_payment_id, payment_id, matched_by, matched_by_user)
                    VALUES (1, \(unknown), \(handPayment), 'hand', 'test');
                    SELECT FROM finsam_act_as_credential('', false)
                    """),
                // A waiting payment taken off the list with nothing booked for it.
                ("a waiting payment cleared with no match", "SET LOCAL ROLE finsam_app;", "FN036",
                    "UPDATE bank_payment SET unmatched_reason = NULL WHERE bank_payment_id = \(unknown)"),
                ("a waiting payment cleared with no match, under an empty scope", "SET LOCAL ROLE finsam_app;", "FN036", """
                    UPDATE bank_payment SET unmatched_reason = NULL WHERE bank_payment_id = \(unknown);
                    SELECT FROM finsam_act_as_credential('', false)
                    """),
            ] {
                do {
                    try await c.execute(script: "BEGIN; SELECT finsam_act_as_operator(); \(role) \(sql); COMMIT;")
                    Issue.record("the database accepted \(name)")
                } catch let error as PostgresError {
                    #expect(error.sqlState == expected, "\(name): \(error)")
                }
                try? await c.execute(script: "ROLLBACK")
            }
            #expect(try await c.query("SELECT count(*) FROM bank_payment_allocation").scalar(Int64.self) == 5)
        }
    }

    /// A bank payment settled by a voucher cannot later be allocated to an invoice too (it would be booked twice),
    /// whatever the scope of the session that tries.
    @Test func aSettledPaymentIsNotAlsoAllocated() async throws {
        try await Self.withInvoices { database, c, ocr in
            let file = BgMaxTestFile(deposits: [Self.deposit(ocr)])
            let summary = try await BankFileImport(database).bgMax(file.bytes, fileName: "a.txt", into: "norrdalen", by: Self.user)
            let unknown = summary.unmatched[0]
            #expect(unknown.amount == Money(öre: 1_234_50))
            let settlement = try await Vouchers(database).post(VoucherDraft(date: CalendarDate(iso: "2024-02-05")!, series: "A",
                text: "Felaktig inbetalning", lines: [
                    .init(account: 1930, amount: Money(öre: 1_234_50)), .init(account: 2990, amount: Money(öre: -1_234_50)),
                ]), to: "norrdalen", by: Self.user).reference
            _ = try await BankPayments(database).settle(unknown.id, with: settlement, in: "norrdalen", by: Self.user)
            // An invoice payment of the same 1 234,50 kr, registered by hand: the allocation would add up whole.
            let byHand = try await Payments(database).register(Money(öre: 1_234_50), on: CalendarDate(iso: "2024-02-06")!,
                for: .number(year: 2024, number: 2), reference: nil, in: "norrdalen", by: Self.user)
            let handPayment = try await c.query(
                "SELECT p.payment_id FROM invoice_payment p JOIN voucher v USING (federation_id, voucher_id) WHERE v.number = $1 AND v.series = 'I'",
                [byHand.voucher.number]).scalar(Int64.self)
            for scope in ["", "SELECT FROM finsam_act_as_credential('', false);"] {
                do {
                    try await c.execute(script: """
                        BEGIN; SELECT finsam_act_as_operator(); SET LOCAL ROLE finsam_app;
                        INSERT INTO bank_payment_allocation (federation_id, bank_payment_id, payment_id, matched_by, matched_by_user)
                        VALUES (1, \(unknown.id), \(handPayment), 'hand', 'test');
                        \(scope) COMMIT;
                        """)
                    Issue.record("the database allocated a settled bank payment to an invoice (scope: \(scope))")
                } catch let error as PostgresError {
                    #expect(error.sqlState == "FN036", "\(error)")
                }
                try? await c.execute(script: "ROLLBACK")
            }
            #expect(try await c.query("SELECT count(*) FROM bank_payment_allocation WHERE bank_payment_id = $1", [unknown.id]).scalar(Int64.self) == 0)
        }
    }

    @Test func aFileThatCannotBeBookedIsRefusedWhole() async throws {
        try await Self.withInvoices { database, c, ocr in
            let importer = BankFileImport(database)
            var other = BgMaxTestFile(deposits: [Self.deposit(ocr)])
            other.deposits[0].bankgiro = "50501055"
            var test = BgMaxTestFile(deposits: [Self.deposit(ocr)])
            test.isTest = true
            var broken = BgMaxTestFile(deposits: [Self.deposit(ocr)]).bytes
            broken.removeLast(40)  // into the end record
            for (bytes, message) in [
                (other.bytes, "insättningen gäller bankgiro 5050-1055, men norrdalen har bankgiro 991-2346"),
                (test.bytes, "testfil"),
                (broken, "f.txt: rad "),
            ] {
                do {
                    _ = try await importer.bgMax(bytes, fileName: "f.txt", into: "norrdalen", by: Self.user)
                    Issue.record("a file was imported: \(message)")
                } catch let error as ServiceError {
                    #expect(error.message.contains(message), "\(error.message)")
                }
            }
            #expect(try await c.query("SELECT count(*) FROM bank_payment").scalar(Int64.self) == 0)
            #expect(try await c.query("SELECT count(*) FROM voucher WHERE series = 'I'").scalar(Int64.self) == 0)
        }
    }

    /// Bankgirot's example: 2 deposits to 991-2346 of 1 900 and 8 000 kr, 7 payments and deductions. None of
    /// its references is an invoice of this federation, so nothing is booked and all of it waits.
    @Test func bankgirotsExampleFileIsReadAndWaitsWhole() async throws {
        try await Self.withInvoices { database, c, _ in
            let summary = try await BankFileImport(database).bgMax(
                try Fixtures.bytes("bgmax/bgmax-example-ocr-length-check.txt"), fileName: "example.txt", into: "norrdalen", by: Self.user)
            #expect(summary.deposits == 2 && summary.payments.count == 7)
            #expect(summary.matched.isEmpty && summary.vouchers == 0)
            let deposits = try await c.query("SELECT sum(amount_ore)::int8 FROM bank_deposit").scalar(Int64.self)
            #expect(deposits == 9_900_00)
            #expect(summary.payments.first?.payerOrganisationNumber == "550000-1234")
            #expect(try await BankPayments(database).unmatched(in: "norrdalen", by: Self.user).count == 7)
        }
    }
}
