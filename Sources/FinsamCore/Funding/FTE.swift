/// Funded full-time equivalents (tjänstgöringsgrad, omfattning), exact to a ten-thousandth: 1.50 FTE is 15 000.
/// A percentage of one full-time post is the same quantity: 40 % is 0.40 FTE.
public struct FTE: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    public static let scale: Int64 = 10_000
    public static let maximum = FTE(tenThousandths: 20 * scale)

    public var tenThousandths: Int64

    public init(tenThousandths: Int64) { self.tenThousandths = tenThousandths }

    /// `0.75`, `0,75`, `1`, `1.5`: at most four decimals, no sign, no exponent.
    public init?(parsing text: String) {
        guard let value = FTE.fixedPoint(text, decimals: 4) else { return nil }
        self.tenThousandths = value
    }

    /// A percentage of one full-time post, `40` or `12,5` (at most two decimals): 40 → 0.40 FTE.
    public init?(percentOfFullTime text: String) {
        guard let hundredths = FTE.fixedPoint(text, decimals: 2) else { return nil }
        self.tenThousandths = hundredths
    }

    public static let zero = FTE(tenThousandths: 0)

    public static func + (a: FTE, b: FTE) -> FTE { FTE(tenThousandths: a.tenThousandths + b.tenThousandths) }
    public static func < (a: FTE, b: FTE) -> Bool { a.tenThousandths < b.tenThousandths }

    /// `0.75` (at least two decimals, at most four): the plain form of files and JSON.
    public var description: String { formatted(decimalSeparator: ".") }

    /// `0,75`: the Swedish form of tables.
    public var swedish: String { formatted(decimalSeparator: ",") }

    private func formatted(decimalSeparator: String) -> String {
        let whole = tenThousandths / FTE.scale
        var fraction = String(tenThousandths % FTE.scale)
        fraction = String(repeating: "0", count: 4 - fraction.count) + fraction
        while fraction.count > 2 && fraction.hasSuffix("0") { fraction.removeLast() }
        return "\(whole)\(decimalSeparator)\(fraction)"
    }

    /// Parses an unsigned decimal with `.` or `,` and at most `decimals` decimals, scaled by 10^decimals.
    static func fixedPoint(_ text: String, decimals: Int) -> Int64? {
        let characters = Array(text)
        let separators = characters.indices.filter { characters[$0] == "," || characters[$0] == "." }
        guard separators.count <= 1 else { return nil }
        let whole = separators.first.map { Array(characters[..<$0]) } ?? characters
        let fraction = separators.first.map { Array(characters[($0 + 1)...]) } ?? []
        guard !whole.isEmpty, whole.count <= 6, fraction.count <= decimals, separators.isEmpty || !fraction.isEmpty,
            (whole + fraction).allSatisfy({ $0.isASCII && $0.isNumber }),
            let wholeValue = Int64(String(whole))
        else { return nil }
        var scale: Int64 = 1
        for _ in 0..<decimals { scale *= 10 }
        let padded = String(fraction) + String(repeating: "0", count: decimals - fraction.count)
        return wholeValue * scale + (padded.isEmpty ? 0 : Int64(padded)!)
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let value = FTE(parsing: text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "not an FTE: \(text)")
        }
        self = value
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
