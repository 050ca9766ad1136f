/// A half-year of the funding decisions: `2024H1` is January–June, `2024H2` July–December.
public struct HalfYear: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    public let year: Int
    /// 1 or 2.
    public let half: Int

    public init?(year: Int, half: Int) {
        guard (2004...2200).contains(year), (1...2).contains(half) else { return nil }
        self.year = year
        self.half = half
    }

    /// `2024H1` (or `2024h1`).
    public init?(_ text: String) {
        let upper = text.uppercased()
        guard upper.count == 6, upper.dropFirst(4).first == "H", let year = Int(upper.prefix(4)),
            upper.prefix(4).allSatisfy({ $0.isASCII && $0.isNumber }), let half = Int(upper.suffix(1))
        else { return nil }
        self.init(year: year, half: half)
    }

    public var months: ClosedRange<Int> { half == 1 ? 1...6 : 7...12 }
    public var description: String { "\(year)H\(half)" }

    public static func < (a: HalfYear, b: HalfYear) -> Bool { (a.year, a.half) < (b.year, b.half) }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let value = HalfYear(text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "not a half-year: \(text)")
        }
        self = value
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

/// A month of a given year, as people type it: `2024-03`.
public struct YearMonth: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let year: Int
    public let month: Int

    public init?(year: Int, month: Int) {
        guard (1900...2200).contains(year), (1...12).contains(month) else { return nil }
        self.year = year
        self.month = month
    }

    public init?(_ text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count == 4, parts[1].count == 2,
            parts.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } }),
            let year = Int(parts[0]), let month = Int(parts[1])
        else { return nil }
        self.init(year: year, month: month)
    }

    public var description: String { "\(year)-\(month < 10 ? "0" : "")\(month)" }
    public static func < (a: YearMonth, b: YearMonth) -> Bool { (a.year, a.month) < (b.year, b.month) }
}
