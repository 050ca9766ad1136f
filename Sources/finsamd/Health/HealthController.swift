public import FinsamService
public import Hummingbird
import Postgres

extension HealthReport: ResponseEncodable {}

/// `GET /health`: 200 with the report when the database answers and its schema is current, 503 otherwise; with the
/// nightly job's counts (no federation's data) when it is scheduled.
struct HealthController {
    let pool: ConnectionPool
    /// The nightly job's status, when the daemon runs one.
    var nightly: NightlyStatus?

    func addRoutes(to router: Router<some RequestContext>) {
        router.get("health") { _, _ -> EditedResponse<HealthReport> in
            var report = await HealthCheck.run(pool: pool)
            report.nightly = await nightly?.health
            var response = EditedResponse(status: report.isHealthy ? .ok : .serviceUnavailable, response: report)
            response.headers[.cacheControl] = "no-store"
            return response
        }
    }
}
