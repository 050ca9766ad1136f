import FinsamCore

/// How people name a voucher: series and number within a year, written `A-17` (or `A17` when the series is
/// letters only), with the year given beside it.
public struct VoucherReference: Sendable, Hashable, Codable, CustomStringConvertible {
    public var year: Int
    public var series: String
    public var number: Int

    public init(year: Int, series: String, number: Int) {
        self.year = year
        self.series = series
        self.number = number
    }

    /// Parses `A-17` or `A17`; nil for anything else.
    public init?(_ text: String, year: Int) {
        let series: Substring
        let digits: Substring
        if let dash = text.lastIndex(of: "-") {
            series = text[..<dash]
            digits = text[text.index(after: dash)...]
        } else {
            series = text.prefix { !$0.isNumber }
            digits = text.dropFirst(series.count)
        }
        guard !series.isEmpty, let number = Int(digits), number > 0 else { return nil }
        self.init(year: year, series: String(series), number: number)
    }

    /// `2024 A-17`.
    public var description: String { "\(year) \(series)-\(number)" }
}
