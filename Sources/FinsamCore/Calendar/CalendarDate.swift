/// A day of the calendar (no time, no zone): voucher dates, report dates, reference dates.
public struct CalendarDate: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    public var year: Int
    public var month: Int
    public var day: Int

    /// Nil when the day does not exist (2024-02-30) or the year is outside 1900–2200.
    public init?(year: Int, month: Int, day: Int) {
        guard (1900...2200).contains(year), (1...12).contains(month),
            (1...CalendarDate.days(inMonth: month, year: year)).contains(day)
        else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    /// `2024-06-30`, or the compact `20240630` of SIE files.
    public init?(iso text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        if parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
            parts.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } }),
            let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2])
        {
            self.init(year: y, month: m, day: d)
        } else if text.count == 8, text.allSatisfy({ $0.isASCII && $0.isNumber }), let value = Int(text) {
            self.init(year: value / 10_000, month: value / 100 % 100, day: value % 100)
        } else {
            return nil
        }
    }

    public static func days(inMonth month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    public static func firstDay(ofYear year: Int) -> CalendarDate { CalendarDate(year: year, month: 1, day: 1)! }
    public static func lastDay(ofYear year: Int) -> CalendarDate { CalendarDate(year: year, month: 12, day: 31)! }

    public var isLastDayOfMonth: Bool { day == CalendarDate.days(inMonth: month, year: year) }

    /// `2024-06-30`.
    public var description: String {
        "\(year)-\(month < 10 ? "0" : "")\(month)-\(day < 10 ? "0" : "")\(day)"
    }

    /// `20240630`, as SIE writes dates.
    public var compact: String { String(description.filter { $0 != "-" }) }

    public static func < (a: CalendarDate, b: CalendarDate) -> Bool {
        (a.year, a.month, a.day) < (b.year, b.month, b.day)
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let date = CalendarDate(iso: text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "\"\(text)\" är inget datum (ÅÅÅÅ-MM-DD)")
        }
        self = date
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
