import FinsamService
import Foundation
import Testing

@testable import finsamd

@Suite struct NightlyScheduleTests {
    /// A moment given in UTC, `2026-11-23T01:00:00Z`.
    static func utc(_ text: String) -> Date { ISO8601DateFormatter().date(from: text)! }

    static let schedule = NightlySchedule("02:30", calendar: .stockholm)!

    @Test func theNextRunIsTonightOrTomorrowNight() {
        // In November Stockholm is UTC+1: 02:30 there is 01:30 UTC.
        #expect(Self.schedule.next(after: Self.utc("2026-11-23T00:00:00Z")) == Self.utc("2026-11-23T01:30:00Z"))
        #expect(Self.schedule.next(after: Self.utc("2026-11-23T01:30:00Z")) == Self.utc("2026-11-24T01:30:00Z"))
        // In June it is UTC+2: 00:30 UTC.
        #expect(Self.schedule.next(after: Self.utc("2026-06-10T12:00:00Z")) == Self.utc("2026-06-11T00:30:00Z"))
    }

    /// Summer time begins on 29 March 2026 at 02:00 (the clocks jump to 03:00): 02:30 does not happen, and the
    /// job runs at 03:00 CEST, 01:00 UTC. It ends on 25 October at 03:00 (back to 02:00): 02:30 happens twice,
    /// and the job runs at the first, 02:30 CEST, 00:30 UTC.
    @Test func summerTimeNeitherSkipsNorDoublesARun() {
        #expect(Self.schedule.next(after: Self.utc("2026-03-28T23:00:00Z")) == Self.utc("2026-03-29T01:00:00Z"))
        #expect(Self.schedule.next(after: Self.utc("2026-10-24T23:00:00Z")) == Self.utc("2026-10-25T00:30:00Z"))
        #expect(Self.schedule.next(after: Self.utc("2026-10-25T00:30:00Z")) == Self.utc("2026-10-26T01:30:00Z"))
    }

    @Test func theScheduleIsReadFromTheEnvironment() throws {
        // A database named, so that the settings do not depend on an embedded database in this checkout.
        let base = ["FINSAM_DATABASE_URL": "postgresql:///finsam?host=/nonexistent"]
        let defaults = try DaemonConfiguration.fromEnvironment(host: nil, port: nil, environment: base)
        #expect(defaults.nightly?.description == "02:30")
        #expect(defaults.dropFolder == nil)
        let off = try DaemonConfiguration.fromEnvironment(host: nil, port: nil, environment: base.merging(["FINSAM_NIGHTLY_AT": "off"]) { $1 })
        #expect(off.nightly == nil)
        for (name, value) in [("FINSAM_NIGHTLY_AT", "2:30"), ("FINSAM_NIGHTLY_AT", "24:00"), ("FINSAM_TIME_ZONE", "Mars/Olympus"),
                              ("FINSAM_DROP_FOLDER", "/no/such/folder")] {
            #expect(throws: DaemonConfiguration.Invalid.self, "\(name)=\(value)") {
                _ = try DaemonConfiguration.fromEnvironment(host: nil, port: nil, environment: base.merging([name: value]) { $1 })
            }
        }
    }
}
