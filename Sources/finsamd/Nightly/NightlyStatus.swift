import FinsamService
import Foundation

/// What the nightly service last did, for `GET /health`: written by the scheduler, read by requests.
actor NightlyStatus {
    private(set) var health = NightlyHealth()

    func scheduled(_ next: Date) { health.nextRunAt = next }

    func finished(_ report: NightlyRunReport, at moment: Date) { health.record(report, at: moment) }

    func failed(_ reason: String, at moment: Date) {
        health.lastRunAt = moment
        health.failure = reason
    }
}
