import FinsamCore
import Testing

@Suite struct LedgerRulesTests {
    /// DOMAIN.md's worked example: 2 000 000 kr by population 10 000, 30 000, 60 001.
    @Test func largestRemainderSplitsTheDomainExampleExactly() {
        let parts = Allocation.largestRemainder(2_000_000, weights: [10_000, 30_000, 60_001])
        #expect(parts == [199_998, 599_994, 1_200_008])
    }

    @Test func aTieGoesToTheLargerBaseThenToTheFirst() {
        // 1 unit over three equal weights: the first wins; with a larger weight present it wins the tie.
        #expect(Allocation.largestRemainder(1, weights: [1, 1, 1]) == [1, 0, 0])
        #expect(Allocation.largestRemainder(10, weights: [1, 2]) == [3, 7])
    }

    @Test func codePage437DecodesTheSwedishLetters() {
        // 0x86 å, 0x84 ä, 0x94 ö, 0x8F Å, 0x8E Ä, 0x99 Ö (IBM code page 437 table).
        #expect(CodePage437.decode([0x86, 0x84, 0x94, 0x8F, 0x8E, 0x99]) == "åäöÅÄÖ")
        #expect(CodePage437.encode("åäöÅÄÖ") == [0x86, 0x84, 0x94, 0x8F, 0x8E, 0x99])
        #expect(CodePage437.encode("€") == [UInt8(ascii: "?")])
    }

    @Test(arguments: [
        ("201278.6", Int64(20_127_860)), ("-0.50", -50), ("100000", 10_000_000), ("100.000", 10_000), ("-199380.6", -19_938_060),
    ])
    func sieAmountsAreExactÖre(text: String, öre: Int64) {
        #expect(SIEParser.parseAmount(text) == Money(öre: öre))
    }

    @Test(arguments: ["1,5", "1.234", "", "-", "12a", "1.2.3"])
    func notSieAmounts(text: String) {
        #expect(SIEParser.parseAmount(text) == nil)
    }

    @Test func aLineArgumentNamesAccountAmountInterventionAndMember() throws {
        let line = try LineArgument.parse("4020:-1500,50:se-aneby:aneby")
        #expect(line == VoucherDraft.Line(account: 4020, amount: Money(öre: -150_050), intervention: "se-aneby", member: "aneby"))
        #expect(throws: LineArgument.Invalid.self) { try LineArgument.parse("99:100") }
        #expect(throws: LineArgument.Invalid.self) { try LineArgument.parse("1930:12,345") }
    }

    @Test func anUnbalancedDraftIsRefusedWithItsDifference() {
        let date = CalendarDate(year: 2024, month: 3, day: 1)!
        let draft = VoucherDraft(date: date, text: "x", lines: [
            .init(account: 1930, amount: Money(öre: 100_000)), .init(account: 3014, amount: Money(öre: -90_000)),
        ])
        #expect(throws: VoucherDraft.Problem.unbalanced(Money(öre: 10_000))) { try draft.validate() }
        #expect(throws: VoucherDraft.Problem.tooFewLines(1)) {
            try VoucherDraft(date: date, text: "x", lines: [.init(account: 1930, amount: Money(öre: 1))]).validate()
        }
    }

    @Test func aSieFileWithCRLFLinesAndAChecksumParses() throws {
        var file = SIEFile()
        file.fiscalYears[0] = CalendarDate(iso: "2024-01-01")!...CalendarDate(iso: "2024-12-31")!
        file.accounts = [(1930, "Bank"), (3014, "Medlemsbidrag kommuner")]
        file.vouchers = [SIEFile.Voucher(series: "A", number: "1", date: CalendarDate(iso: "2024-03-01")!, text: "Bidrag \"Å\"",
            lines: [.init(account: 1930, objects: [], amount: Money(öre: 100_050), text: nil, line: 0),
                    .init(account: 3014, objects: [.init(dimension: 6, id: "se")], amount: Money(öre: -100_050), text: nil, line: 0)],
            line: 0)]
        let bytes = SIEWriter.write(file, header: .init(programVersion: "1", generated: CalendarDate(iso: "2024-12-31")!,
            generatedBy: "test", companyName: "Förbundet", organisationNumber: "222000-0018"))
        let parsed = try SIEParser.parse(bytes)
        #expect(parsed.statedChecksum != nil && parsed.statedChecksum == parsed.computedChecksum)
        #expect(parsed.vouchers.first?.text == "Bidrag \"Å\"")
        #expect(parsed.vouchers.first?.lines.map(\.amount) == [Money(öre: 100_050), Money(öre: -100_050)])
        // One changed byte in a voucher's amount breaks the checksum.
        var tampered = bytes
        let index = tampered.firstIndex(of: UInt8(ascii: "5"))!
        tampered[index] = UInt8(ascii: "6")
        #expect(throws: SIEError.self) { try SIEParser.parse(tampered) }
    }
}
