import FinsamCore
import Testing

@Suite struct PaymentMatchingTests {
    // Three invoices of 2026 (OCR references by InvoicingRulesTests' rule: 26 + number + length + Luhn digits).
    static let first = MatchableInvoice(id: 1, ocr: "260000195", organisationNumber: "212000-1355", remaining: Money(öre: 100_000))
    static let second = MatchableInvoice(id: 2, ocr: "260000294", organisationNumber: "212000-1355", remaining: Money(öre: 40_000))
    static let other = MatchableInvoice(id: 3, ocr: "260000393", organisationNumber: "212000-1264", remaining: Money(öre: 100_000))
    static let invoices = [first, second, other]

    @Test func anOCRReferenceTakesTheWholePaymentWhateverTheAmount() {
        let payment = IncomingPayment(amount: Money(öre: 60_000), references: ["260000195"], payerIdentity: nil)
        #expect(PaymentMatching.match(payment, among: Self.invoices) == .matched(.ocr, [.init(1, Money(öre: 60_000))]))
    }

    @Test func severalReferencesEachGetWhatIsLeftWhenTheSumIsExact() {
        // 1 000,00 + 400,00 = 1 400,00: the payment's amount.
        let exact = IncomingPayment(amount: Money(öre: 140_000), references: ["260000195 260000294", "260000195", "260000294"], payerIdentity: nil)
        #expect(PaymentMatching.match(exact, among: Self.invoices) == .matched(.ocr, [.init(1, Money(öre: 100_000)), .init(2, Money(öre: 40_000))]))
        let short = IncomingPayment(amount: Money(öre: 135_000), references: ["260000195", "260000294"], payerIdentity: nil)
        #expect(PaymentMatching.match(short, among: Self.invoices)
            == .unmatched(reason: "beloppet 1 350,00 kr är inte vad som återstår av de 2 fakturorna (1 400,00 kr)"))
    }

    @Test func aValidReferenceThatNamesNoInvoiceWaits() {
        // 260000492: base 2600004, length 9, Luhn over 26000049 → 2; a valid OCR no invoice has.
        let payment = IncomingPayment(amount: Money(öre: 100_000), references: ["260000492"], payerIdentity: "002120001355")
        #expect(PaymentMatching.match(payment, among: Self.invoices)
            == .unmatched(reason: "OCR-numret 260000492 finns inte bland förbundets fakturor"))
    }

    @Test func withoutAReferenceTheAmountAndThePayerDecide() {
        let byPayer = IncomingPayment(amount: Money(öre: 40_000), references: ["faktura 2"], payerIdentity: "002120001355")
        #expect(PaymentMatching.match(byPayer, among: Self.invoices) == .matched(.amountAndPayer, [.init(2, Money(öre: 40_000))]))
        // Both 212000-1355's invoice 1 and 212000-1264's invoice 3 have 1 000,00 left; the payer tells them apart.
        let other = IncomingPayment(amount: Money(öre: 100_000), references: [], payerIdentity: "002120001264")
        #expect(PaymentMatching.match(other, among: Self.invoices) == .matched(.amountAndPayer, [.init(3, Money(öre: 100_000))]))
        let unknownPayer = IncomingPayment(amount: Money(öre: 100_000), references: [], payerIdentity: nil)
        #expect(PaymentMatching.match(unknownPayer, among: Self.invoices)
            == .unmatched(reason: "ingen referens och inget organisationsnummer för betalaren"))
        let wrongAmount = IncomingPayment(amount: Money(öre: 99_900), references: ["12345"], payerIdentity: "002120001355")
        #expect(PaymentMatching.match(wrongAmount, among: Self.invoices)
            == .unmatched(reason: "ingen giltig OCR-referens (12345), och ingen faktura till 212000-1355 har 999,00 kr kvar att betala"))
    }

    @Test func twoInvoicesOfOnePayerWithTheSameAmountLeftAreNotGuessedBetween() {
        let twin = MatchableInvoice(id: 4, ocr: "260000492", organisationNumber: "212000-1355", remaining: Money(öre: 100_000))
        let payment = IncomingPayment(amount: Money(öre: 100_000), references: [], payerIdentity: "2120001355")
        #expect(PaymentMatching.match(payment, among: Self.invoices + [twin])
            == .unmatched(reason: "ingen referens, och 2 fakturor till 212000-1355 har 1 000,00 kr kvar att betala"))
    }

    @Test func identitiesFromTheBankBecomeOrganisationNumbers() {
        #expect(PaymentMatching.organisationNumber(from: "005500001234") == "550000-1234")
        #expect(PaymentMatching.organisationNumber(from: "195501011234") == "550101-1234")
        #expect(PaymentMatching.organisationNumber(from: "000000000000") == nil)
        #expect(PaymentMatching.organisationNumber(from: "12345") == nil)
    }
}
