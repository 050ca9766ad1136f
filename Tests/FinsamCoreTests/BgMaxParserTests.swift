import FinsamCore
import Testing
import TestSupport

@Suite struct BgMaxParserTests {
    static let example = "bgmax/bgmax-example-ocr-length-check.txt"

    /// Every figure below is read off the file by hand: deposit 1 (line 23) is 1 000,00 − 500,00 + 1 400,00 =
    /// 1 900,00 kr in 3 payments; deposit 2 (line 49) is 1 100 + 1 200 + 700 + 5 000 = 8 000,00 kr in 4; the end
    /// record counts 6 payments, 1 deduction, 6 extra references and 2 deposits.
    @Test func bankgirotsExampleFileIsReadAsItsOwnTotalsSay() throws {
        let file = try BgMaxParser.parse(try Fixtures.bytes(Self.example))
        #expect(file.writtenAt == "20040525173035010331")
        #expect(file.isTest == false)
        #expect(file.deposits.count == 2)

        let first = file.deposits[0], second = file.deposits[1]
        #expect(first.bankgiro == "9912346" && second.bankgiro == "9912346")
        #expect(first.paymentDate == CalendarDate(year: 2004, month: 5, day: 25))
        #expect(first.serialNumber == 74 && second.serialNumber == 75)
        #expect(first.amount == Money(öre: 190_000) && second.amount == Money(öre: 800_000))
        #expect(first.payments.map(\.signedAmount) == [Money(öre: 100_000), Money(öre: -50_000), Money(öre: 140_000)])
        #expect(second.payments.map(\.amount) == [Money(öre: 110_000), Money(öre: 120_000), Money(öre: 70_000), Money(öre: 500_000)])

        let ocrPayment = first.payments[0]
        #expect(ocrPayment.kind == .payment)
        #expect(ocrPayment.reference == "655969")
        #expect(ocrPayment.referenceCode == .ocr)
        #expect(ocrPayment.channel == .leverantorsbetalning)
        #expect(ocrPayment.senderBankgiro == "3783511")
        #expect(ocrPayment.bgcSerialNumber == "000000000010")
        #expect(ocrPayment.payerName == "Kalles Plåt AB")  // ISO 8859-1 å
        #expect(ocrPayment.payerAddress == "Storgatan 2" && ocrPayment.payerPostcode == "12345")
        #expect(ocrPayment.payerTown == "Storåker")
        #expect(ocrPayment.payerOrganisationNumber == "005500001234")
        #expect(ocrPayment.line == 3)

        #expect(first.payments[1].kind == .deduction(code: 0))
        #expect(first.payments[1].reference == "89853")

        // Line 17 has two tabs where the other extra references have spaces: expanded, its reference is found.
        let several = first.payments[2]
        #expect(several.referenceCode == .several)
        #expect(several.extraReferences.map(\.reference) == ["657866", "658765", "657767", "657965"])
        #expect(several.extraReferences.map(\.line) == [14, 15, 16, 17])
        #expect(several.information == ["Betalning med extra refnr 657965"])

        let blank = second.payments[1]
        #expect(blank.reference == nil && blank.referenceCode == .unavailable)
        #expect(blank.channel == .paperForm && blank.hasImage)
        #expect(second.payments[3].information == ["Faktura 658369", "Faktura 658468"])

        #expect(file.payments.count == 7)
    }

    /// A small, well-formed file built field by field; each test below breaks one thing in it.
    static func lines() -> [String] {
        [
            record("01", "BGMAX".padded(20), "01", "20261120101500123456", "P"),
            record("05", "0009912346", "0000000000", "SEK"),
            record("20", "0001234567", "260000195".padded(25, left: true), "000000000000012500", "2", "1", "000000000001", "0"),
            record("26", "Kommunen"),
            record("15", "00000000000000000005841000001009823".padded(35), "20261120", "00001", "000000000000012500", "SEK", "00000001"),
            record("70", "00000001", "00000000", "00000000", "00000001"),
        ]
    }

    static func record(_ fields: String...) -> String { fields.joined() }

    static func parse(_ lines: [String]) throws(BgMaxError) -> BgMaxFile {
        try BgMaxParser.parse(Array(lines.joined(separator: "\r\n").utf8))
    }

    @Test func aWellFormedFileIsRead() throws {
        let file = try Self.parse(Self.lines())
        #expect(file.payments.map(\.reference) == ["260000195"])
        #expect(file.deposits[0].amount == Money(öre: 12_500))
    }

    @Test(arguments: [
        // (line to change, its new text, the line the error names, words the reason must contain)
        (2, record("20", "0001234567", "260000195".padded(25, left: true), "00000000000001250X", "2", "1", "000000000001", "0"), 3, "beloppet"),
        (2, record("20", "0001234567", "260000195".padded(25, left: true), "000000000000012500", "7", "1", "000000000001", "0"), 3, "referenskoden"),
        (4, record("15", "".padded(35), "20261120", "00001", "000000000000012600", "SEK", "00000001"), 5, "125,00"),
        (4, record("15", "".padded(35), "20261131", "00001", "000000000000012500", "SEK", "00000001"), 5, "20261131"),
        (4, record("15", "".padded(35), "20261120", "00001", "000000000000012500", "SEK", "00000002"), 5, "2 betalningar"),
        (5, record("70", "00000002", "00000000", "00000000", "00000001"), 6, "slutposten"),
        (3, record("99", "okänd"), 4, "posttyp"),
        (2, record("20", "0001234567", "260000195".padded(25, left: true), "000000000000012500", "2", "1", "000000000001", "0", String(repeating: "x", count: 20)), 3, "80"),
    ])
    func aBrokenRecordIsRefusedWithItsLine(index: Int, replacement: String, line: Int, reason: String) {
        var lines = Self.lines()
        lines[index] = replacement
        #expect {
            _ = try Self.parse(lines)
        } throws: { error in
            guard let error = error as? BgMaxError else { return false }
            return error.line == line && error.reason.contains(reason)
        }
    }

    @Test func aTruncatedFileIsRefused() {
        #expect(throws: BgMaxError.self) { _ = try Self.parse(Array(Self.lines().dropLast())) }
        #expect(throws: BgMaxError.self) { _ = try Self.parse(Array(Self.lines().prefix(3))) }
        #expect(throws: BgMaxError.self) { _ = try BgMaxParser.parse([]) }
    }

    @Test func aTestFileIsMarkedAsSuch() throws {
        var lines = Self.lines()
        lines[0] = Self.record("01", "BGMAX".padded(20), "01", "20261120101500123456", "T")
        #expect(try Self.parse(lines).isTest)
    }
}

extension String {
    /// Padded with spaces to `width`: on the right, or on the left (right-aligned) when `left`.
    func padded(_ width: Int, left: Bool = false) -> String {
        let padding = String(repeating: " ", count: max(0, width - count))
        return left ? padding + self : self + padding
    }
}
