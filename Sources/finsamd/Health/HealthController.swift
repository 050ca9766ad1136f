public import FinsamService
public import Hummingbird
import Postgres

extension HealthReport: ResponseEncodable {}

/// `GET /health`: 200 with the report when the database answers and its schema is current, 503 otherwise.
struct HealthController {
    let pool: ConnectionPool

    func addRoutes(to router: Router<some RequestContext>) {
        router.get("health") { _, _ -> EditedResponse<HealthReport> in
            let report = await HealthCheck.run(pool: pool)
            var response = EditedResponse(status: report.isHealthy ? .ok : .serviceUnavailable, response: report)
            response.headers[.cacheControl] = "no-store"
            return response
        }
    }
}
