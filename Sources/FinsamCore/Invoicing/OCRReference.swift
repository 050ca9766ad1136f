/// An OCR payment reference by Bankgirot's rules with both control digits: the reference digits, then a
/// length digit (the whole reference's length, counted with both control digits, modulo 10), then a Luhn
/// check digit over everything before it. A bank checks the reference when the payer types it, and
/// Bankgirot's reconciliation file returns it, so that a payment finds its invoice.
public struct OCRReference: Sendable, Hashable, Codable, CustomStringConvertible {
    public let digits: String

    /// The reference for `base` (digits only, 1–23 of them).
    public init?(base: String) {
        guard (1...23).contains(base.count), base.allSatisfy(\.isASCIIDigit) else { return nil }
        let lengthDigit = (base.count + 2) % 10
        let withLength = base + String(lengthDigit)
        digits = withLength + String(Luhn.checkDigit(for: withLength))
    }

    /// A reference as a payer wrote it: accepted when both control digits are right.
    public init?(checking text: String) {
        guard (3...25).contains(text.count), text.allSatisfy(\.isASCIIDigit), Luhn.isValid(text),
              text.dropLast().last?.wholeNumberValue == text.count % 10
        else { return nil }
        digits = text
    }

    /// The invoice's reference within its federation: the year's last two digits and the invoice number
    /// (at least five digits), so that it is unique as long as the invoice numbers are.
    public static func forInvoice(year: Int, number: Int) -> OCRReference {
        let yy = year % 100
        let padded = String(number).count >= 5 ? String(number) : String(repeating: "0", count: 5 - String(number).count) + String(number)
        return OCRReference(base: (yy < 10 ? "0" : "") + String(yy) + padded)!
    }

    public var description: String { digits }
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}
