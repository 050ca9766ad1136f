import FinsamCore
import Testing

@Suite struct InvoicingRulesTests {
    /// Invoice 1 of 2026: base 26 00001, length digit (7 + 2) mod 10 = 9, then the Luhn digit of 26000019:
    /// from the right 9·2→9, 1, 0, 0, 0, 0, 6·2→3, 2 sum to 15, so the check digit is 5.
    @Test func anInvoiceReferenceCarriesItsLengthAndCheckDigits() {
        #expect(OCRReference.forInvoice(year: 2026, number: 1).digits == "260000195")
        // Number 123456 of 2024: 24123456, length 10 → 0, then Luhn over 241234560: from the right
        // 0·2→0, 6, 5·2→1, 4, 3·2→6, 2, 1·2→2, 4, 2·2→4 sum to 29, check digit 1.
        #expect(OCRReference.forInvoice(year: 2024, number: 123_456).digits == "2412345601")
    }

    @Test func aReferenceIsCheckedAsAPayerTypesIt() {
        #expect(OCRReference(checking: "260000195") != nil)
        #expect(OCRReference(checking: "260000196") == nil)  // wrong check digit
        #expect(OCRReference(checking: "26000015") == nil)   // wrong length digit
        #expect(OCRReference(checking: "2600 0195") == nil)
    }

    @Test func installmentsAreEqualPartsThatAddUp() {
        // 1 000 001 kr per quarter: 250 000,25 each; the spare krona goes to the first installment.
        #expect(InvoiceSchedule.quarterly.split(1_000_001) == [250_001, 250_000, 250_000, 250_000])
        #expect(InvoiceSchedule.halfYearly.split(599_994) == [299_997, 299_997])
        #expect(InvoiceSchedule.quarterly.month(ofInstallment: 3) == 7)
        #expect(InvoiceSchedule.halfYearly.label(year: 2024, installment: 2) == "2024 halvår 2")
    }

    @Test func periodsAreYearsHalvesQuartersOrMonths() {
        #expect(InvoicePeriod("2024")?.months == 1...12)
        #expect(InvoicePeriod("2024H2")?.months == 7...12)
        #expect(InvoicePeriod("2024q3")?.months == 7...9)
        #expect(InvoicePeriod("2024-03")?.months == 3...3)
        for bad in ["2024H3", "2024Q5", "2024-13", "24", "2024-3", "x"] { #expect(InvoicePeriod(bad) == nil, "\(bad)") }
    }

    @Test func datesAddAcrossMonthsAndLeapYears() {
        #expect(CalendarDate(iso: "2024-02-10")!.adding(days: 30) == CalendarDate(iso: "2024-03-11"))
        #expect(CalendarDate(iso: "2026-12-15")!.adding(days: 30) == CalendarDate(iso: "2027-01-14"))
        #expect(CalendarDate(iso: "1970-01-01")!.daysSinceEpoch == 0)
        #expect(CalendarDate(iso: "2000-03-01")!.daysSinceEpoch == 11_017)
    }
}
