/// An amount in Swedish kronor, held exactly as an integer number of öre. Never floating point (DOMAIN.md, Money).
public struct Money: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    public var öre: Int64

    public init(öre: Int64) { self.öre = öre }

    /// Whole kronor.
    public init(kronor: Int64) { self.öre = kronor * 100 }

    public static let zero = Money(öre: 0)

    public static func + (a: Money, b: Money) -> Money { Money(öre: a.öre + b.öre) }
    public static func - (a: Money, b: Money) -> Money { Money(öre: a.öre - b.öre) }
    public static prefix func - (a: Money) -> Money { Money(öre: -a.öre) }
    public static func += (a: inout Money, b: Money) { a.öre += b.öre }
    public static func -= (a: inout Money, b: Money) { a.öre -= b.öre }
    public static func < (a: Money, b: Money) -> Bool { a.öre < b.öre }

    /// Rounded to whole kronor, half away from zero (DOMAIN.md: "rounding is half away from zero").
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
    /// Returns nil for anything else (more than two decimals, letters, several separators).
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
        guard !integerPart.isEmpty, integerPart.count <= 15, fractionPart.count <= 2,
            separators.isEmpty || !fractionPart.isEmpty,
            (integerPart + fractionPart).allSatisfy({ $0.isASCII && $0.isNumber }),
            let kronor = Int64(String(integerPart))
        else { return nil }
        var öre = kronor * 100
        if !fractionPart.isEmpty {
            let padded = String(fractionPart) + (fractionPart.count == 1 ? "0" : "")
            öre += Int64(padded)!
        }
        self.öre = negative ? -öre : öre
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let value = Money(parsing: text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "not an amount: \(text)")
        }
        self = value
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
