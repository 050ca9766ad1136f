import FinsamCore
import Testing

/// The coach model's arithmetic (DOMAIN.md, Funding decisions and disbursements) and the values people type.
@Suite struct FundingRulesTests {
    static let november = CalendarDate(iso: "2023-11-23")!

    /// 4 × 1,00 × 40 000 + 2 × 0,50 × 40 000 = 200 000 (DOMAIN.md).
    @Test func aVacancyPaidAtHalfAPostForTwoMonths() {
        let terms = FundingTerms(decisionID: 1, meetingDate: Self.november, months: 1...6, extent: FTE(parsing: "1.00")!,
            rateKronor: 240_000, adjustments: [.init(months: 3...4, extent: FTE(percentOfFullTime: "50")!)])
        #expect(FundingCalculation.amountKronor([terms]) == 200_000)
    }

    /// 150 000 × 4/6 = 100 000 (DOMAIN.md).
    @Test func aFixedSumVacantTheLastTwoMonths() {
        let terms = FundingTerms(decisionID: 1, meetingDate: Self.november, months: 7...12, extent: FTE(parsing: "1")!,
            rateKronor: 150_000, adjustments: [.init(months: 11...12, extent: .zero)])
        #expect(FundingCalculation.amountKronor([terms]) == 100_000)
    }

    /// Rounded once, at the end: 0,75 × 232 500 / 6 = 29 062,50 a month; six months 174 375 exactly; five months
    /// 145 312,50 → 145 313 (half away from zero), where rounding each month first would give 145 315.
    @Test func theSumIsRoundedOnceHalfAwayFromZero() {
        let six = FundingTerms(decisionID: 1, meetingDate: Self.november, months: 1...6, extent: FTE(parsing: "0.75")!, rateKronor: 232_500)
        #expect(FundingCalculation.amountKronor([six]) == 174_375)
        var five = six
        five.months = 2...6
        #expect(FundingCalculation.amountKronor([five]) == 145_313)
    }

    /// The later meeting stands for its months; the earlier for the rest. 3 × 40 000 + 3 × 20 000 = 180 000.
    @Test func theLaterMeetingStandsForTheMonthsItCovers() {
        let first = FundingTerms(decisionID: 7, meetingDate: Self.november, months: 1...6, extent: FTE(parsing: "1")!, rateKronor: 240_000)
        let later = FundingTerms(decisionID: 3, meetingDate: CalendarDate(iso: "2024-03-14")!, months: 4...6,
            extent: FTE(parsing: "0.5")!, rateKronor: 240_000)
        let months = FundingCalculation.months([later, first])
        #expect(months.map(\.decisionID) == [7, 7, 7, 3, 3, 3])
        #expect(FundingCalculation.amountKronor(months) == 180_000)
    }

    @Test func valuesAsPeopleTypeThem() {
        #expect(FTE(parsing: "0,75")?.tenThousandths == 7_500)
        #expect(FTE(parsing: "1.5")?.swedish == "1,50")
        #expect(FTE(parsing: "0.3333")?.description == "0.3333")
        #expect(FTE(parsing: "0.33333") == nil)
        #expect(FTE(parsing: "-1") == nil)
        #expect(FTE(parsing: "1e2") == nil)
        #expect(FTE(percentOfFullTime: "40")?.tenThousandths == 4_000)
        #expect(FTE(percentOfFullTime: "12,5")?.description == "0.125")
        #expect(HalfYear("2024h2")?.months == 7...12)
        #expect(HalfYear("2024H3") == nil)
        #expect(HalfYear("24H1") == nil)
        #expect(YearMonth("2024-13") == nil)
        #expect(BoardReference(parsing: "2023-11-23 §7") == BoardReference(meetingDate: Self.november, paragraph: "§7"))
        #expect(BoardReference(parsing: "§7") == nil)
    }

    /// Swedish IBANs and bank details from the banks' own examples; one digit changed breaks the check.
    @Test func accountsAreChecked() {
        #expect(IBAN.isValid("SE4550000000058398257466"))
        #expect(!IBAN.isValid("SE4550000000058398257467"))
        #expect(!IBAN.isValid("se4550000000058398257466"))
        #expect(BIC.isValid("ESSESESS"))
        #expect(BIC.isValid("HANDSESSXXX"))
        #expect(!BIC.isValid("HANDSES"))
        #expect(PayoutAccount(bankgiro: "5050-1055") == .bankgiro("5050-1055"))
        #expect(PayoutAccount(bankgiro: "5050-1056") == nil)
        #expect(PayoutAccount(bankAccount: "6000-123456789") == .bankAccount(clearing: "6000", account: "123456789"))
        #expect(PayoutAccount(bankAccount: "60001-123") == nil)
        #expect(PayoutAccount(bankAccount: "8327-9,123") == nil)
    }

    @Test func thePaymentFileEscapesNamesAndSumsItsTransfers() throws {
        let file = CreditTransferFile(
            messageID: "M-1", createdAt: "2024-01-25T10:00:00", executionDate: CalendarDate(iso: "2024-01-25")!,
            debtor: .init(name: "Förbund & Co", iban: "SE4550000000058398257466", bic: "ESSESESS"),
            transfers: [
                .init(endToEndID: "E1", amount: Money(kronor: 120_000), creditorName: "A <kommun>", account: .bankgiro("5050-1055"), remittance: "x"),
                .init(endToEndID: "E2", amount: Money(öre: 150), creditorName: "B", account: .bankAccount(clearing: "6000", account: "1"), remittance: "y"),
            ])
        let xml = try file.xml
        #expect(xml.contains("<Nm>Förbund &amp; Co</Nm>"))
        #expect(xml.contains("<Nm>A &lt;kommun&gt;</Nm>"))
        #expect(xml.contains("<CtrlSum>120001.50</CtrlSum>"))
        #expect(xml.contains("<InstdAmt Ccy=\"SEK\">1.50</InstdAmt>"))
    }
}
