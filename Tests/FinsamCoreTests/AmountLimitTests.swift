import FinsamCore
import Foundation
import Testing
import TestSupport

/// No Finsam amount approaches a thousand billion kronor (DOMAIN.md, Money): files and typed amounts beyond
/// 999 999 999 999,99 kr are refused with the line, and sums that would pass it are errors, never a trap (issue 13
/// found programs killed by "arithmetic overflow" on 15- and 18-digit amounts).
@Suite struct AmountLimitTests {
    static let limit: Int64 = 99_999_999_999_999  // öre: 999 999 999 999,99 kr, written out by hand

    @Test func sumsBeyondTheLimitThrowInsteadOfTrapping() throws {
        let largest = Money(öre: Self.limit)
        #expect(Money.limit == largest)
        #expect(try largest + Money(öre: -1) == Money(öre: Self.limit - 1))
        #expect(throws: MoneyOverflow.self) { try largest + Money(öre: 1) }
        #expect(throws: MoneyOverflow.self) { try -largest - Money(öre: 1) }
        // Values past the limit (as a sum read from a database could be) and past Int64 itself.
        #expect(throws: MoneyOverflow.self) { try Money(öre: .max) + Money(öre: .max) }
        #expect(throws: MoneyOverflow.self) { try Money(öre: .min) - Money(öre: 1) }
        #expect(throws: MoneyOverflow.self) { try Array(repeating: largest, count: 94).sum() }
        #expect(-Money(öre: .min) == Money(öre: .max))
    }

    @Test(arguments: [
        ("999999999999,99", Self.limit), ("-999 999 999 999,99", -Self.limit), ("000000999999999999", 99_999_999_999_900),
    ] as [(String, Int64)])
    func typedAmountsUpToTheLimitAreRead(_ text: String, _ öre: Int64) {
        #expect(Money(parsing: text) == Money(öre: öre))
    }

    @Test(arguments: ["1000000000000", "999999999999999", "9999999999999999999999", "-1000000000000,00"])
    func typedAmountsBeyondTheLimitAreRefused(_ text: String) {
        #expect(Money(parsing: text) == nil)
        #expect(throws: LineArgument.Invalid.self) { try LineArgument.parse("1930:\(text)") }
    }

    @Test func aVoucherJSONBeyondTheLimitIsRefusedInSwedish() throws {
        let json = #"{"date":"2026-01-05","series":"A","text":"x","lines":[{"account":1930,"amount":"999999999999999"},{"account":3090,"amount":"-999999999999999"}]}"#
        do {
            _ = try JSONDecoder().decode(VoucherDraft.self, from: Data(json.utf8))
            Issue.record("a voucher of 999 999 999 999 999 kr was read")
        } catch let DecodingError.dataCorrupted(context) {
            #expect(context.debugDescription.contains("är inget belopp i kronor"))
        }
    }

    /// Eleven lines of 99 999 999 999,99 kr on each side: each within the limit, each side past it.
    @Test func aVoucherWhoseSidesPassTheLimitIsRefused() {
        let part = Money(öre: 9_999_999_999_999)
        let lines = Array(repeating: VoucherDraft.Line(account: 1930, amount: part), count: 11)
            + Array(repeating: VoucherDraft.Line(account: 3090, amount: -part), count: 11)
        let draft = VoucherDraft(date: CalendarDate(iso: "2026-01-05")!, text: "x", lines: lines)
        #expect(throws: VoucherDraft.Problem.totalTooLarge) { try draft.validate() }
        let single = VoucherDraft(date: CalendarDate(iso: "2026-01-05")!, text: "x",
            lines: [.init(account: 1930, amount: Money(öre: .max)), .init(account: 3090, amount: Money(öre: -.max))])
        #expect(throws: VoucherDraft.Problem.amountTooLarge(line: 1)) { try single.validate() }
    }

    /// Ten payments of 999 999 999 999 999 999 öre (the 18 digits BgMax allows): refused at the first, by its line.
    @Test func aBgMaxFileOfHugePaymentsIsRefusedAtItsLine() throws {
        let payments = (0..<10).map { _ in BgMaxTestFile.Payment(reference: "", öre: 999_999_999_999_999_999, referenceCode: 1) }
        let file = BgMaxTestFile(deposits: [.init(bankgiro: "9912346", date: "20240205", serial: 1, payments: payments)])
        let error = try #require(throws: FileError.self) { try BgMaxParser.parse(file.bytes) }
        #expect(error.line == 3)  // 01 start, 05 opening, then the first payment
        #expect(error.reason.contains("större än Finsam tillåter"))
    }

    /// Two payments at the limit and a deduction of as much: each amount, and the deposit's total, within the
    /// limit; the payments together are not.
    @Test func aBgMaxDepositWhosePaymentsPassTheLimitIsRefused() throws {
        let payments = (0..<3).map { BgMaxTestFile.Payment(reference: "", öre: Self.limit, referenceCode: 1, isDeduction: $0 == 2) }
        let file = BgMaxTestFile(deposits: [.init(bankgiro: "9912346", date: "20240205", serial: 1, payments: payments)])
        let error = try #require(throws: FileError.self) { try BgMaxParser.parse(file.bytes) }
        #expect(error.line == 6)  // the deposit record
        #expect(error.reason.hasPrefix("insättningens betalningar blir tillsammans större än Finsam tillåter"))
    }

    static func statement(_ entries: [CamtTestFile.Entry]) -> CamtTestFile {
        CamtTestFile(iban: "SE4550000000058398257466", statementID: "S1", opening: ("0.00", "2024-02-01"),
            closing: ("0.00", "2024-02-29"), entries: entries)
    }

    @Test func aCamtStatementOfHugeEntriesIsRefusedAtTheAmount() throws {
        let entries = (1...100).map {
            CamtTestFile.Entry(reference: "R\($0)", amount: "999999999999999.00", date: "2024-02-05",
                transactions: [.init(amount: "999999999999999.00")])
        }
        let error = try #require(throws: FileError.self) { try CamtParser.parse(Self.statement(entries).bytes) }
        #expect(error.reason == "beloppet 999999999999999.00 är större än Finsam tillåter (högst 999 999 999 999,99 kr)")
        #expect(error.line != nil)
    }

    @Test func aCamtEntryWhoseTransactionsPassTheLimitIsRefused() throws {
        let entry = CamtTestFile.Entry(reference: "R1", amount: "999999999999.99", date: "2024-02-05",
            transactions: [.init(amount: "999999999999.99"), .init(amount: "1.00")])
        let error = try #require(throws: FileError.self) { try CamtParser.parse(Self.statement([entry]).bytes) }
        #expect(error.reason.hasPrefix("postens transaktioner blir tillsammans större än Finsam tillåter"))
    }

    /// `sie import` of 100 #TRANS of 999999999999999.00: refused at the first, by its line.
    @Test func aSieFileOfHugeTransactionsIsRefusedAtItsLine() throws {
        var text = "#FLAGGA 0\n#SIETYP 4\n#RAR 0 20260101 20261231\n#VER A 1 20260105 \"Stor\"\n{\n"
        for index in 0..<100 {
            text += "#TRANS \(index % 2 == 0 ? 1930 : 3090) {} \(index % 2 == 0 ? "" : "-")999999999999999.00\n"
        }
        text += "}\n"
        let error = try #require(throws: FileError.self) { try SIEParser.parse(Array(text.utf8)) }
        #expect(error.line == 6)
        #expect(error.reason.contains("högst 999 999 999 999,99 kr"))
    }
}
