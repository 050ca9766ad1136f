public import FinsamCore
public import Postgres

extension PostgresDate {
    init(_ date: CalendarDate) { self.init(year: date.year, month: date.month, day: date.day) }
}

extension CalendarDate {
    init(_ date: PostgresDate) { self = CalendarDate(year: date.year, month: date.month, day: date.day)! }
}
