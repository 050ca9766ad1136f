/// An amount in Swedish kronor, held exactly as an integer number of öre. Never floating point (DOMAIN.md, Money).
///
/// Every amount Finsam keeps, and every sum of them, stays within ±`Money.limit` (999 999 999 999,99 kr): no
/// federation's budget, ledger or bank file comes near a thousand billion kronor (the whole Swedish state budget is
/// about 1 300 billion). Files, JSON and typed amounts beyond it are refused where they are read, the database
/// refuses them in every amount column, and the arithmetic here throws `MoneyOverflow` instead of trapping, so that
/// a file or a ledger made to overflow gets an error that names it and never stops a program.
public struct Money: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    public var öre: Int64

    public init(öre: Int64) { self.öre = öre }

    /// Whole kronor.
    public init(kronor: Int64) { self.öre = kronor * 100 }

    public static let zero = Money(öre: 0)

    /// The largest amount (and the largest sum) Finsam accepts: 999 999 999 999,99 kr, one öre below a thousand
    /// billion kronor. Twice it still fits in Int64 many thousand times over, so one addition of two amounts within
    /// the limit never overflows before the limit is checked.
    public static let limit = Money(öre: 99_999_999_999_999)

    /// Whether the amount lies within ±`limit`.
    public var isWithinLimit: Bool { öre >= -Money.limit.öre && öre <= Money.limit.öre }

    /// The amount if it lies within ±`limit`.
    public static func checked(öre: Int64) throws(MoneyOverflow) -> Money {
        let amount = Money(öre: öre)
        guard amount.isWithinLimit else { throw MoneyOverflow() }
        return amount
    }

    public static func + (a: Money, b: Money) throws(MoneyOverflow) -> Money {
        let (sum, overflow) = a.öre.addingReportingOverflow(b.öre)
        guard !overflow else { throw MoneyOverflow() }
        return try checked(öre: sum)
    }

    public static func - (a: Money, b: Money) throws(MoneyOverflow) -> Money {
        let (difference, overflow) = a.öre.subtractingReportingOverflow(b.öre)
        guard !overflow else { throw MoneyOverflow() }
        return try checked(öre: difference)
    }

    /// Negation cannot leave the limit, which is symmetric; only Int64.min (never within it) has no negative.
    public static prefix func - (a: Money) -> Money { Money(öre: a.öre == .min ? .max : -a.öre) }
    public static func += (a: inout Money, b: Money) throws(MoneyOverflow) { a = try a + b }
    public static func -= (a: inout Money, b: Money) throws(MoneyOverflow) { a = try a - b }
    public static func < (a: Money, b: Money) -> Bool { a.öre < b.öre }

    /// Rounded to whole kronor, half away from zero (DOMAIN.md: "rounding is half away from zero"). Cannot
    /// overflow for any Int64: Int64.max ends in 07 öre and Int64.min in -08, so neither end is rounded outward.
    public var roundedToKronor: Money {
        let remainder = öre % 100
        var kronor = öre / 100
        if remainder >= 50 { kronor += 1 } else if remainder <= -50 { kronor -= 1 }
        return Money(kronor: kronor)
    }

    /// `1817375.50`: the plain decimal form used in files and JSON.
    public var description: String {
        let sign = öre < 0 ? "-" : ""
        let magnitude = öre.magnitude
        let fraction = magnitude % 100
        return "\(sign)\(magnitude / 100).\(fraction < 10 ? "0" : "")\(fraction)"
    }

    /// Parses kronor as a person types them: `1500`, `1500,50`, `1500.5`, `-12,05`, `1 817 375`.
    /// Returns nil for anything else (more than two decimals, letters, several separators) and for an amount
    /// beyond `limit`.
    public init?(parsing text: String) {
        var characters = Array(text.filter { $0 != " " && $0 != "\u{00A0}" && $0 != "\u{202F}" })
        var negative = false
        if characters.first == "-" || characters.first == "−" {
            negative = true
            characters.removeFirst()
        }
        guard !characters.isEmpty else { return nil }
        let separators = characters.indices.filter { characters[$0] == "," || characters[$0] == "." }
        guard separators.count <= 1 else { return nil }
        let integerPart = separators.first.map { Array(characters[..<$0]) } ?? characters
        let fractionPart = separators.first.map { Array(characters[($0 + 1)...]) } ?? []
        guard separators.isEmpty || !fractionPart.isEmpty,
            let öre = Money.öre(kronor: String(integerPart), fraction: String(fractionPart))
        else { return nil }
        self.öre = negative ? -öre : öre
    }

    /// Öre of a decimal amount's digits (`"1500"`, `"5"` → 150 050), nil when they are no amount within the limit.
    /// Leading zeros are allowed (`0001500`); the digits must be ASCII.
    public static func öre(kronor: String, fraction: String) -> Int64? {
        guard !kronor.isEmpty, fraction.count <= 2,
            (kronor + fraction).allSatisfy({ $0.isASCII && $0.isNumber })
        else { return nil }
        let significant = kronor.drop { $0 == "0" }
        guard significant.count <= 12, let whole = Int64(significant.isEmpty ? "0" : String(significant)) else { return nil }
        let padded = fraction + String(repeating: "0", count: 2 - fraction.count)
        let öre = whole * 100 + (Int64(padded) ?? 0)
        return öre <= Money.limit.öre ? öre : nil
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let value = Money(parsing: text) else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "\"\(text)\" är inget belopp i kronor (högst två decimaler, under \(SwedishNumberFormat.kronor(Money.limit)) kr)")
        }
        self = value
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

/// An amount or a sum beyond ±`Money.limit`: a file or a ledger that claims more than any federation handles.
public struct MoneyOverflow: Error, Equatable, Sendable, CustomStringConvertible {
    public init() {}

    public var description: String {
        "beloppet blir större än Finsam tillåter (högst \(SwedishNumberFormat.kronor(Money.limit)) kr)"
    }
}

extension Sequence {
    /// The sum of the amounts `amount` gives, throwing when it leaves ±`Money.limit`.
    public func sum(_ amount: (Element) throws -> Money) throws -> Money {
        var total = Money.zero
        for element in self { try total += try amount(element) }
        return total
    }
}

extension Sequence where Element == Money {
    /// The sum, throwing when it leaves ±`Money.limit`.
    public func sum() throws(MoneyOverflow) -> Money {
        var total = Money.zero
        for amount in self { try total += amount }
        return total
    }
}
