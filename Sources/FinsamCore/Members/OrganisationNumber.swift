/// Organisationsnummer: ten digits written `NNNNNN-NNNN`, the last a Luhn (mod 10) check digit.
public struct OrganisationNumber: Hashable, Sendable, CustomStringConvertible {
    /// `NNNNNN-NNNN`.
    public let description: String

    /// Accepts `NNNNNN-NNNN` or the ten digits without the hyphen; nil unless the check digit is right.
    public init?(_ text: String) {
        let digits = text.filter { $0 != "-" }
        guard digits.count == 10, digits.allSatisfy({ $0.isASCII && $0.isNumber }),
            text.count == 10 || (text.count == 11 && text.dropFirst(6).first == "-"),
            Luhn.isValid(digits)
        else { return nil }
        description = String(digits.prefix(6)) + "-" + String(digits.suffix(4))
    }
}

/// The Luhn (mod 10) check digit, as organisationsnummer and Bankgirot's OCR references use it.
public enum Luhn {
    /// The check digit for `digits` (which does not contain it yet).
    public static func checkDigit(for digits: some StringProtocol) -> Int {
        var total = 0
        for (index, character) in digits.reversed().enumerated() {
            var value = character.wholeNumberValue ?? 0
            if index % 2 == 0 {
                value *= 2
                if value > 9 { value -= 9 }
            }
            total += value
        }
        return (10 - total % 10) % 10
    }

    /// True when the last digit of `digits` is the check digit of the others.
    public static func isValid(_ digits: some StringProtocol) -> Bool {
        guard let last = digits.last?.wholeNumberValue, digits.count >= 2 else { return false }
        return checkDigit(for: digits.dropLast()) == last
    }
}
