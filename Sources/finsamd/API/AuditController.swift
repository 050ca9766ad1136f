import FinsamCore
import FinsamService
import Foundation
import Hummingbird

/// A federation's audit trail (`/api/v1/federations/{federation}/audit`): who did what, when, by which request,
/// `?since=` a day and `?actor=` a person; and its verification, that no record was changed or removed afterwards.
struct AuditController {
    let database: Database

    func addRoutes(to routes: DocumentedRoutes) {
        routes.get("federations/{federation}/audit", use: list)
        routes.get("federations/{federation}/audit/verification", use: verify)
    }

    @Sendable func list(_ request: Request, context: FinsamRequestContext) async throws -> Response {
        let query = QueryParameters(request: request)
        let federation = try context.federation
        let records = try await AuditTrail(database).list(in: federation, since: try query.date("since"), actor: query.string("actor"), by: try context.user())
        return try APIBody.list(records, key: { Int($0.sequence) }, request: request, csvName: "handelselogg-\(federation)", context: context)
    }

    @Sendable func verify(_ request: Request, context: FinsamRequestContext) async throws -> Response {
        try APIBody.json(try await AuditTrail(database).verify(try context.federation, by: try context.user()), context: context)
    }
}
