import FinsamCore
import FinsamService
import Foundation
import Hummingbird

/// A federation's disbursements (`/api/v1/federations/{federation}/disbursements`): the list (a director's queue is
/// `?state=submitted`), one disbursement with its approvals and history, and the director's and chair's steps:
/// approve, return with a comment, reject with a comment. The service decides who may and what follows
/// (ApprovalFlow); a step that lost a race with another is a 409.
struct DisbursementController {
    let disbursements: Disbursements

    struct CommentRequest: Decodable {
        var comment: String
    }

    func addRoutes(to routes: DocumentedRoutes) {
        routes.get("federations/{federation}/disbursements", use: list)
        routes.get("federations/{federation}/disbursements/{number}", use: show)
        routes.post("federations/{federation}/disbursements/{number}/approve", use: approve)
        routes.post("federations/{federation}/disbursements/{number}/return", use: sendBack)
        routes.post("federations/{federation}/disbursements/{number}/reject", use: reject)
    }

    @Sendable func list(_ request: Request, context: FinsamRequestContext) async throws -> Response {
        let query = QueryParameters(request: request)
        let federation = try context.pathCode("federation")
        let state = try query.parse("state", as: "ett läge (draft, submitted, approved, paid, returned, rejected)") { DisbursementState(rawValue: $0) }
        let halfYear = try query.parse("halfYear", as: "ett halvår (t.ex. 2026H2)") { HalfYear($0) }
        let year = try query.integer("year", in: 2000...2100)
        let found = try await disbursements.list(in: federation, intervention: query.string("intervention"), halfYear: halfYear, year: year,
            state: state, by: try context.user())
        if try APIBody.wantsCSV(request) {
            return APIBody.csv(Disbursement.csv(found), name: "utbetalningar-\(federation)")
        }
        return try APIBody.json(try Pagination.page(found, key: \.number, query: query), context: context)
    }

    @Sendable func show(_ request: Request, context: FinsamRequestContext) async throws -> Response {
        let found = try await disbursements.find(try context.pathNumber("number"), in: try context.pathCode("federation"), by: try context.user())
        return try APIBody.json(found, context: context)
    }

    @Sendable func approve(_ request: Request, context: FinsamRequestContext) async throws -> Response {
        let outcomes = try await disbursements.approve([try context.pathNumber("number")], in: try context.pathCode("federation"), by: try context.user())
        return try APIBody.json(outcomes[0], context: context)
    }

    @Sendable func sendBack(_ request: Request, context: FinsamRequestContext) async throws -> Response {
        let body = try await APIBody.decode(CommentRequest.self, from: request, context: context)
        let moved = try await disbursements.returnForChanges([try context.pathNumber("number")], in: try context.pathCode("federation"),
            comment: body.comment, by: try context.user())
        return try APIBody.json(moved[0], context: context)
    }

    @Sendable func reject(_ request: Request, context: FinsamRequestContext) async throws -> Response {
        let body = try await APIBody.decode(CommentRequest.self, from: request, context: context)
        let moved = try await disbursements.reject([try context.pathNumber("number")], in: try context.pathCode("federation"),
            comment: body.comment, by: try context.user())
        return try APIBody.json(moved[0], context: context)
    }
}
