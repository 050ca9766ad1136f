import FinsamCore
import FinsamService
import Foundation
import Hummingbird

/// A federation's funding decisions (`/api/v1/federations/{federation}/decisions`): those of a year or half-year,
/// optionally of one intervention and member, and one member's statement for an intervention and half-year (the
/// decisions that stand and the amount month by month); recording a board decision, and adjusting some months of
/// the decision that stands for them.
struct DecisionController {
    let decisions: FundingDecisions

    func addRoutes(to routes: DocumentedRoutes) {
        routes.get("federations/{federation}/decisions", use: list)
        routes.get("federations/{federation}/decisions/statement", use: statement)
        routes.post("federations/{federation}/decisions", use: add)
        routes.post("federations/{federation}/decisions/adjustments", use: adjust)
    }

    /// FTE × rate (`fte`, `rate`, optionally `heads`) or a fixed sum (`amount`), per half-year.
    struct DecisionRequest: Decodable {
        var intervention: String
        var member: String
        var halfYear: HalfYear
        /// The meeting and paragraph, `2023-11-23 §7`.
        var reference: String
        /// The first and last month it covers (`2026-09`); by default the whole half-year.
        var from: String?
        var to: String?
        var fte: FTE?
        var heads: Int?
        /// Per FTE and half-year, whole kronor.
        var rate: Money?
        /// Per half-year, whole kronor.
        var amount: Money?
    }

    /// Exactly one of `fte`, `percent` and `"vacant": true`.
    struct AdjustmentRequest: Decodable {
        var intervention: String
        var member: String
        var halfYear: HalfYear
        var from: String
        var to: String
        var fte: FTE?
        /// Of one full-time post (FTE × rate) or of the fixed sum, at most two decimals: `40`, `12.5`.
        var percent: String?
        var vacant: Bool?
    }

    @Sendable func add(_ request: Request, context: FinsamRequestContext) async throws -> Response {
        let body = try await APIBody.decode(DecisionRequest.self, from: request, context: context)
        let reference = try APIBody.required(
            try APIBody.field(body.reference, "reference", as: "ett mötesdatum och en paragraf (2023-11-23 §7)") { BoardReference(parsing: $0) },
            "reference")
        // Which terms go together (fte and rate, or amount) is the service's rule (FundingDecisions.add).
        let decision = FundingDecisionRequest(intervention: body.intervention, member: body.member, halfYear: body.halfYear,
            from: try APIBody.month(body.from, "from"), to: try APIBody.month(body.to, "to"), fte: body.fte, heads: body.heads,
            rate: body.rate, amount: body.amount, reference: reference)
        let statement = try await decisions.add(decision, in: try context.federation, by: try context.user())
        return try APIBody.json(statement, status: .created, context: context)
    }

    @Sendable func adjust(_ request: Request, context: FinsamRequestContext) async throws -> Response {
        let body = try await APIBody.decode(AdjustmentRequest.self, from: request, context: context)
        let percent = try APIBody.field(body.percent, "percent", as: "en procentsats med högst två decimaler (40 eller 12.5)") {
            FTE(percentOfFullTime: $0)
        }
        let change: FundingAdjustmentRequest.Change
        switch (body.fte, percent, body.vacant ?? false) {
        case (let fte?, nil, false): change = .fte(fte)
        case (nil, let percent?, false): change = .percent(percent)
        case (nil, nil, true): change = .vacant
        default:
            throw ServiceError(.invalid, "ange en av fte, percent och \"vacant\": true", code: "request.body-invalid",
                arguments: ["field": "fte"])
        }
        let adjustment = FundingAdjustmentRequest(intervention: body.intervention, member: body.member, halfYear: body.halfYear,
            from: try APIBody.required(try APIBody.month(body.from, "from"), "from"), to: try APIBody.required(try APIBody.month(body.to, "to"), "to"),
            change: change)
        let statement = try await decisions.adjust(adjustment, in: try context.federation, by: try context.user())
        return try APIBody.json(statement, context: context)
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
