public import FinsamCore
public import Foundation

extension Calendar {
    /// The calendar of Swedish dates: Gregorian, in Stockholm's time zone (summer time included).
    public static var stockholm: Calendar {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Europe/Stockholm") ?? .current
        return calendar
    }
}

extension CalendarDate {
    /// Today in Sweden.
    public static var today: CalendarDate { CalendarDate(Date(), in: .stockholm) }

    /// The day `moment` falls on in `calendar`.
    public init(_ moment: Date, in calendar: Calendar) {
        let parts = calendar.dateComponents([.year, .month, .day], from: moment)
        self = CalendarDate(year: parts.year!, month: parts.month!, day: parts.day!)!
    }
}
