import FinsamCore
import FinsamService
import Foundation
import Hummingbird

/// A federation's funding decisions (`/api/v1/federations/{federation}/decisions`): those of a year or half-year,
/// optionally of one intervention and member, and one member's statement for an intervention and half-year (the
/// decisions that stand and the amount month by month).
struct DecisionController {
    let decisions: FundingDecisions

    func addRoutes(to routes: DocumentedRoutes) {
        routes.get("federations/{federation}/decisions", use: list)
        routes.get("federations/{federation}/decisions/statement", use: statement)
    }

    /// `?year=2026` or `?halfYear=2026H2`, and `intervention`, `member`.
    @Sendable func list(_ request: Request, context: FinsamRequestContext) async throws -> Response {
        let query = QueryParameters(request: request)
        let federation = try context.federation
        let halfYear = try query.halfYear("halfYear")
        let year = try halfYear?.year ?? query.required("year", try query.year(), example: "2026")
        let found = try await decisions.list(in: federation, year: year, half: halfYear?.half, intervention: query.string("intervention"),
            member: query.string("member"), by: try context.user())
        return try APIBody.list(found, key: { Int($0.id) }, request: request, csvName: "beslut-\(federation)-\(halfYear?.description ?? String(year))", context: context)
    }

    /// `?intervention=coach&member=kommun-a&halfYear=2026H2`.
    @Sendable func statement(_ request: Request, context: FinsamRequestContext) async throws -> Response {
        let query = QueryParameters(request: request)
        let federation = try context.federation
        let intervention = try query.required("intervention", query.string("intervention"), example: "coach")
        let member = try query.required("member", query.string("member"), example: "kommun-a")
        let halfYear = try query.required("halfYear", try query.halfYear("halfYear"), example: "2026H2")
        let found = try await decisions.statement(in: federation, intervention: intervention, member: member, halfYear: halfYear, by: try context.user())
        return try APIBody.read(found, request: request, csvName: "beslut-\(federation)-\(intervention)-\(member)-\(halfYear)", context: context)
    }
}
