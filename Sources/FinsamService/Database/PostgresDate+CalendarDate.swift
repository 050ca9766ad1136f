import FinsamCore
import Postgres

extension PostgresDate {
    init(_ date: CalendarDate) { self.init(year: date.year, month: date.month, day: date.day) }

    /// The same day as a CalendarDate. The database accepts dates far outside 1900–2200 (a row written by plain
    /// SQL could hold one); such a date is an error to report, not a crash.
    func calendarDate() throws -> CalendarDate {
        guard let date = CalendarDate(year: year, month: month, day: day) else {
            throw ServiceError(.unavailable, "datumet \(self) i databasen ligger utanför 1900–2200")
        }
        return date
    }
}
