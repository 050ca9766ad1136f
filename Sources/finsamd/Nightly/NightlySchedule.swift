import Foundation

/// When the nightly job runs: a time of day (`02:30`) in a time zone (Stockholm's unless told otherwise), every day.
struct NightlySchedule: Sendable, Equatable {
    var hour: Int
    var minute: Int
    var calendar: Calendar

    /// `HH:MM`, 00:00–23:59; nil for anything else.
    init?(_ text: String, calendar: Calendar) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count == 2, parts[1].count == 2,
              let hour = Int(parts[0]), let minute = Int(parts[1]), (0...23).contains(hour), (0...59).contains(minute)
        else { return nil }
        self.hour = hour
        self.minute = minute
        self.calendar = calendar
    }

    /// The first moment after `now` at the schedule's time of day. On the night summer time begins, 02:30 does not
    /// exist in Stockholm; the job then runs at the next moment that does (03:00). On the night it ends, 02:30
    /// comes twice; the job runs at the first.
    func next(after now: Date) -> Date {
        calendar.nextDate(
            after: now, matching: DateComponents(hour: hour, minute: minute, second: 0), matchingPolicy: .nextTime,
            repeatedTimePolicy: .first, direction: .forward)!
    }

    var description: String { String(format: "%02d:%02d", hour, minute) }
}
