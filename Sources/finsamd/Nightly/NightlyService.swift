import FinsamCore
import FinsamService
import Foundation
import Logging
import ServiceLifecycle

/// Runs the nightly job (`NightlyRun`: the drop folder's bank files, then every federation's reconciliation) at
/// the scheduled time each day, until the daemon is shut down; a run in progress is cancelled by the shutdown
/// (each file is its own transaction, so what was read stays read and the rest waits for the next night).
struct NightlyService: Service {
    let schedule: NightlySchedule
    let job: NightlyRun
    let status: NightlyStatus
    let logger: Logger

    /// The job acts as the system itself: the ledger and the audit trail record `system` as who posted.
    static let user = User.system(request: "finsamd nightly")

    func run() async throws {
        do {
            try await cancelWhenGracefulShutdown {
                while true {
                    let next = schedule.next(after: Date())
                    logger.info("next nightly run", metadata: ["at": "\(next)", "schedule": "\(schedule.description)"])
                    await status.scheduled(next)
                    try await Task.sleep(for: .seconds(max(0, next.timeIntervalSinceNow)))
                    await runOnce(at: CalendarDate(next, in: schedule.calendar))
                }
            }
        } catch is CancellationError {
            logger.info("nightly runs stopped")
        }
    }

    /// One run, logged; a failure (the database away) is logged and the next night tries again.
    func runOnce(at date: CalendarDate) async {
        do {
            let report = try await job.run(at: date, by: Self.user)
            await status.finished(report, at: Date())
            NightlyService.log(report, to: logger)
        } catch is CancellationError {
            logger.notice("nightly run cancelled by shutdown", metadata: ["date": "\(date)"])
        } catch {
            logger.error("nightly run failed", metadata: ["date": "\(date)", "error": "\(error)"])
            await status.failed("\(error)", at: Date())
        }
    }

    static func log(_ report: NightlyRunReport, to logger: Logger) {
        for file in report.files {
            if let summary = file.summary {
                logger.info("bank file read", metadata: [
                    "federation": "\(file.federation)", "file": "\(file.fileName)", "alreadyImported": "\(summary.alreadyImported)",
                    "deposits": "\(summary.deposits)", "payments": "\(summary.payments.count)", "booked": "\((try? summary.bookedAmount)?.description ?? "beyond limit")",
                    "unmatched": "\(summary.unmatched.count)", "movedTo": "\(file.movedTo)",
                ])
            } else {
                logger.warning("bank file rejected", metadata: [
                    "federation": "\(file.federation)", "file": "\(file.fileName)", "reason": "\(file.error ?? "")", "movedTo": "\(file.movedTo)",
                ])
            }
        }
        for failure in report.failures {
            logger.error("books could not be checked", metadata: ["federation": "\(failure.federation)", "error": "\(failure.error)"])
        }
        for reconciliation in report.reconciliations {
            if reconciliation.agrees {
                logger.info("books agree", metadata: ["federation": "\(reconciliation.federation)", "date": "\(reconciliation.date)"])
            } else {
                for check in reconciliation.checks where !check.agrees {
                    logger.warning("books differ", metadata: [
                        "federation": "\(reconciliation.federation)", "date": "\(reconciliation.date)", "check": "\(check.kind.rawValue)",
                        "ledger": "\(check.ledger)", "documents": "\(check.documents)", "difference": "\((try? check.difference)?.description ?? "beyond limit")",
                        "items": "\(check.differences.count)",
                    ])
                }
            }
        }
    }
}
