import FinsamCore
import FinsamService
import Foundation
import Hummingbird

/// A federation's vouchers (`/api/v1/federations/{federation}/vouchers`): a year's list, one voucher by its series
/// and number (`A-12?year=2026`), posting a balanced voucher, and reversing one.
struct LedgerController {
    let vouchers: Vouchers

    func addRoutes(to routes: DocumentedRoutes) {
        routes.get("federations/{federation}/vouchers", use: list)
        routes.post("federations/{federation}/vouchers", use: post)
        routes.get("federations/{federation}/vouchers/{voucher}", use: show)
        routes.post("federations/{federation}/vouchers/{voucher}/reverse", use: reverse)
    }

    struct ReverseRequest: Decodable {
        /// The reversal's date; the original's without it.
        var date: CalendarDate?
    }

    /// `?year=2026` (required), `series`, `from`, `to`.
    @Sendable func list(_ request: Request, context: FinsamRequestContext) async throws -> Response {
        let query = QueryParameters(request: request)
        let federation = try context.federation
        let year = try query.required("year", try query.year(), example: "2026")
        let found = try await vouchers.list(in: federation, year: year, series: query.string("series"), from: try query.date("from"),
            to: try query.date("to"), by: try context.user())
        // Ordered by series and number: the cursor is a position in that order.
        let positioned = found.enumerated().map { PositionedVoucher(position: $0.offset + 1, voucher: $0.element) }
        if try APIBody.wantsCSV(request) { return APIBody.csv(try found.csvTable(), name: "verifikationer-\(federation)-\(year)") }
        let page = try Pagination.page(positioned, key: \.position, query: query)
        return try APIBody.json(Page(items: page.items.map(\.voucher), nextCursor: page.nextCursor), context: context)
    }

    @Sendable func show(_ request: Request, context: FinsamRequestContext) async throws -> Response {
        let reference = try Self.reference(request, context: context)
        let found = try await vouchers.find(reference, in: try context.federation, by: try context.user())
        return try APIBody.read(found, request: request, csvName: "verifikation-\(reference.year)-\(reference.series)\(reference.number)", context: context)
    }

    /// Posts a balanced voucher (`{"date", "series", "text", "lines": [{"account", "amount", …}]}`); 201 with the
    /// voucher and its number.
    @Sendable func post(_ request: Request, context: FinsamRequestContext) async throws -> Response {
        let draft = try await APIBody.decode(VoucherDraft.self, from: request, context: context)
        let posted = try await vouchers.post(draft, to: try context.federation, by: try context.user())
        return try APIBody.json(posted, status: .created, context: context)
    }

    @Sendable func reverse(_ request: Request, context: FinsamRequestContext) async throws -> Response {
        let reference = try Self.reference(request, context: context)
        let body = try await APIBody.decode(ReverseRequest.self, from: request, context: context)
        let reversal = try await vouchers.reverse(reference, in: try context.federation, date: body.date, by: try context.user())
        return try APIBody.json(reversal, status: .created, context: context)
    }

    /// `A-12` in the address and `?year=2026`.
    static func reference(_ request: Request, context: FinsamRequestContext) throws -> VoucherReference {
        let query = QueryParameters(request: request)
        let year = try query.required("year", try query.year(), example: "2026")
        let text = try context.pathCode("voucher")
        guard let reference = VoucherReference(text, year: year) else {
            throw ServiceError(.notFound, "\(text) är ingen verifikation (skriv SERIE-NUMMER, t.ex. A-12)", code: "request.path-invalid",
                arguments: ["field": "voucher"])
        }
        return reference
    }
}

/// A voucher with its place in the year's list, for the list's cursor.
struct PositionedVoucher: Encodable, Sendable {
    var position: Int
    var voucher: PostedVoucher
}
