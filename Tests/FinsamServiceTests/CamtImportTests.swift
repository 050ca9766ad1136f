import FinsamCore
import FinsamService
import Postgres
import Testing
import TestSupport

/// A bank statement (camt.053) of the federation's account against BankFileImportTests' invoices: the credits are
/// matched like BgMax payments, and the statement's closing balance is compared with the bank account 1930.
@Suite struct CamtImportTests {
    static let user = LedgerTests.user
    static let iban = "SE4550000000058398257466"

    /// 2024-02-05: a Bankgiro deposit of two payments (ankeby's 199 998 by OCR, 500 000 of bergby's with the OCR in
    /// the free text), the region's 500 000 with only its organisation number, a bank fee of 100 kr going out, and a
    /// pending credit. Closing balance 199 998 + 500 000 + 500 000 − 100 = 1 199 898 kr.
    static func statement(_ ocr: [String: String], id: String = "2024-02-05") -> CamtTestFile {
        CamtTestFile(iban: iban, statementID: id, opening: ("0.00", "2024-02-04"), closing: ("1199898.00", "2024-02-05"), entries: [
            .init(reference: "BG-1", amount: "699998.00", date: "2024-02-05", transactions: [
                .init(amount: "199998.00", ocr: ocr["ankeby"]!, payerName: "Ankeby kommun"),
                .init(amount: "500000.00", text: "Delbetalning faktura \(ocr["bergby"]!)"),
            ]),
            .init(reference: "BG-2", amount: "500000.00", date: "2024-02-05", transactions: [
                .init(amount: "500000.00", payerName: "Region Norr", payerOrgID: "2321000990"),
            ]),
            .init(reference: "FEE-1", amount: "100.00", credit: false, date: "2024-02-05", transactions: []),
            .init(reference: "PD-1", amount: "5.00", date: "2024-02-05", status: "PDNG", transactions: []),
        ])
    }

    @Test func aStatementIsMatchedAndItsClosingBalanceChecked() async throws {
        try await BankFileImportTests.withInvoices { database, c, ocr in
            let importer = BankFileImport(database)
            let file = Self.statement(ocr).bytes
            // The federation's account must be known first.
            do {
                _ = try await importer.read(file, fileName: "stmt.xml", into: "norrdalen", by: Self.user)
                Issue.record("a statement was read into a federation without an account")
            } catch let error as ServiceError {
                #expect(error.message.hasPrefix("norrdalen har inget bankkonto (IBAN)"))
            }
            _ = try await FederationDisbursements(database).update("norrdalen", .init(payerIBAN: Self.iban), by: Self.user)

            let summary = try await importer.read(file, fileName: "stmt.xml", into: "norrdalen", by: Self.user)
            #expect(summary.format == "camt.053")
            #expect(summary.deposits == 2 && summary.payments.count == 3)
            let allocations = summary.payments.flatMap(\.allocations)
            #expect(allocations.map(\.member) == ["ankeby", "bergby", "region"])
            #expect(allocations.map(\.matchedBy) == [.ocr, .ocr, .amountAndPayer])
            #expect(allocations.map(\.amount.öre) == [199_998_00, 500_000_00, 500_000_00])
            #expect(summary.unmatched.isEmpty)

            // The bank account: 1 199 998 kr booked, the statement says 1 199 898: the fee is not booked yet.
            let report = try await Reconciliation(database).check("norrdalen", at: CalendarDate(iso: "2024-02-28")!, by: Self.user)
            let statement = try #require(report.checks.first { $0.kind == .bankStatement })
            #expect(statement.ledger == Money(öre: 1_199_998_00) && statement.documents == Money(öre: 1_199_898_00))
            #expect(statement.differences.map(\.document) == ["kontoutdrag 2024-02-05 för \(Self.iban), utgående saldo"])
            #expect(try #require(report.checks.first { $0.kind == .bankPayments }).agrees)
            _ = try await Vouchers(database).post(VoucherDraft(date: CalendarDate(iso: "2024-02-05")!, text: "Bankavgift", lines: [
                .init(account: 1930, amount: Money(kronor: -100)), .init(account: 6410, amount: Money(kronor: 100)),
            ]), to: "norrdalen", by: Self.user)
            let after = try await Reconciliation(database).check("norrdalen", at: CalendarDate(iso: "2024-02-28")!, by: Self.user)
            #expect(after.agrees, "\(after.checks.filter { !$0.agrees })")

            // Read again: nothing. The next day's statement repeats entry BG-2: only what is new is read.
            #expect(try await importer.read(file, fileName: "copy.xml", into: "norrdalen", by: Self.user).alreadyImported)
            var next = Self.statement(ocr, id: "2024-02-06")
            next.entries = [next.entries[1], .init(reference: "BG-3", amount: "1.00", date: "2024-02-06", transactions: [.init(amount: "1.00")])]
            next.closing = ("1199899.00", "2024-02-06")
            let later = try await importer.read(next.bytes, fileName: "next.xml", into: "norrdalen", by: Self.user)
            #expect(later.depositsAlreadyImported == 1 && later.deposits == 1)
            #expect(try await c.query("SELECT count(*) FROM bank_statement_balance").scalar(Int64.self) == 2)
        }
    }

    @Test func aStatementOfAnotherAccountIsRefusedWhole() async throws {
        try await BankFileImportTests.withInvoices { database, c, ocr in
            _ = try await FederationDisbursements(database).update("norrdalen", .init(payerIBAN: Self.iban), by: Self.user)
            var other = Self.statement(ocr)
            other.iban = "SE7280000810340009783242"
            do {
                _ = try await BankFileImport(database).read(other.bytes, fileName: "other.xml", into: "norrdalen", by: Self.user)
                Issue.record("a statement of another account was read")
            } catch let error as ServiceError {
                #expect(error.message == "other.xml: kontoutdraget 2024-02-05 gäller konto SE7280000810340009783242, men norrdalen har konto \(Self.iban)")
            }
            #expect(try await c.query("SELECT count(*) FROM bank_deposit").scalar(Int64.self) == 0)
        }
    }
}
