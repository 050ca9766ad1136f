import FinsamCore
import FinsamService
import Foundation
import Hummingbird

/// A federation's disbursements (`/api/v1/federations/{federation}/disbursements`): the list (a director's queue is
/// `?state=submitted`), one disbursement with its approvals and history, and the director's and chair's steps:
/// approve, return with a comment, reject with a comment; and the economy office's: preparing drafts from the
/// decisions, submitting them, paying approved ones in a batch and fetching a batch's pain.001 file. The service
/// decides who may and what follows (ApprovalFlow); a step that lost a race with another is a 409.
struct DisbursementController {
    let disbursements: Disbursements

    struct CommentRequest: Decodable {
        var comment: String
    }

    struct PrepareRequest: Decodable {
        var intervention: String
        var halfYear: HalfYear
        /// Only this member's.
        var member: String?
    }

    struct NumbersRequest: Decodable {
        var numbers: [Int]
    }

    /// Disbursement numbers from a body: each 1–2147483647, at most 500.
    static func check(_ numbers: [Int]?) throws {
        guard let numbers else { return }
        guard numbers.count <= Pagination.maximumLimit, numbers.allSatisfy({ (1...Int(Int32.max)).contains($0) }) else {
            throw ServiceError(.invalid, "fältet numbers: högst \(Pagination.maximumLimit) utbetalningsnummer, vart och ett 1–2147483647",
                code: "request.body-invalid", arguments: ["field": "numbers"])
        }
    }

    struct PayRequest: Decodable {
        /// These approved disbursements; or all approved ones of `intervention` and `halfYear`.
        var numbers: [Int]?
        var intervention: String?
        var halfYear: HalfYear?
        /// The payment date the bank is asked for.
        var date: CalendarDate
    }

    func addRoutes(to routes: DocumentedRoutes) {
        routes.get("federations/{federation}/disbursements", use: list)
        routes.get("federations/{federation}/disbursements/{number}", use: show)
        routes.post("federations/{federation}/disbursements/{number}/approve", use: approve)
        routes.post("federations/{federation}/disbursements/{number}/return", use: sendBack)
        routes.post("federations/{federation}/disbursements/{number}/reject", use: reject)
        routes.post("federations/{federation}/disbursements/prepare", use: prepare)
        routes.post("federations/{federation}/disbursements/submit", use: submit)
        routes.post("federations/{federation}/disbursements/pay", use: pay)
        routes.get("federations/{federation}/disbursement-batches/{number}", use: batch)
        routes.get("federations/{federation}/disbursement-batches/{number}/pain001", use: painFile)
    }

    @Sendable func list(_ request: Request, context: FinsamRequestContext) async throws -> Response {
        let query = QueryParameters(request: request)
        let federation = try context.pathCode("federation")
        let state = try query.parse("state", as: "ett läge (draft, submitted, approved, paid, returned, rejected)") { DisbursementState(rawValue: $0) }
        let halfYear = try query.parse("halfYear", as: "ett halvår (t.ex. 2026H2)") { HalfYear($0) }
        let year = try query.integer("year", in: 2000...2100)
        let found = try await disbursements.list(in: federation, intervention: query.string("intervention"), halfYear: halfYear, year: year,
            state: state, by: try context.user())
        return try APIBody.list(found, key: \.number, request: request, csvName: "utbetalningar-\(federation)", context: context)
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

    @Sendable func prepare(_ request: Request, context: FinsamRequestContext) async throws -> Response {
        let body = try await APIBody.decode(PrepareRequest.self, from: request, context: context)
        let prepared = try await disbursements.prepare(in: try context.federation, intervention: body.intervention, halfYear: body.halfYear,
            member: body.member, by: try context.user())
        return try APIBody.json(prepared, context: context)
    }

    @Sendable func submit(_ request: Request, context: FinsamRequestContext) async throws -> Response {
        let body = try await APIBody.decode(NumbersRequest.self, from: request, context: context)
        try Self.check(body.numbers)
        return try APIBody.json(try await disbursements.submit(body.numbers, in: try context.federation, by: try context.user()), context: context)
    }

    /// Pays in one batch: its vouchers booked, its pain.001 file in the answer (`file`); 201.
    @Sendable func pay(_ request: Request, context: FinsamRequestContext) async throws -> Response {
        let body = try await APIBody.decode(PayRequest.self, from: request, context: context)
        try Self.check(body.numbers)
        let batch = try await disbursements.pay(body.numbers, in: try context.federation, intervention: body.intervention, halfYear: body.halfYear,
            on: body.date, file: true, by: try context.user())
        return try APIBody.json(batch, status: .created, context: context)
    }

    @Sendable func batch(_ request: Request, context: FinsamRequestContext) async throws -> Response {
        var found = try await disbursements.batch(try context.pathNumber("number"), in: try context.federation, by: try context.user())
        found.file = nil
        return try APIBody.json(found, context: context)
    }

    /// The batch's ISO 20022 pain.001 file, to send to the bank.
    @Sendable func painFile(_ request: Request, context: FinsamRequestContext) async throws -> Response {
        let federation = try context.federation
        let found = try await disbursements.batch(try context.pathNumber("number"), in: federation, by: try context.user())
        guard let file = found.file else {
            throw ServiceError(.notFound, "utbetalning \(found.number) har ingen betalfil (bara återkrav)", code: "disbursement-batch.no-file",
                arguments: ["batch": String(found.number)])
        }
        return APIBody.document(Array(file.utf8), contentType: "application/xml; charset=utf-8", name: "\(federation)-pain001-\(found.number).xml")
    }
}
