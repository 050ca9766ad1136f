import FinsamCore
import FinsamService
import Foundation
import Hummingbird

/// A federation's books as SIE type 4 (`/api/v1/federations/{federation}/sie`): the year's file to download, and a
/// file from another system to bring over (the file is the request's body, `?name=` its name; `?preview=true`
/// shows what the import would do, with the income statement it would give, and keeps nothing).
struct SIEController {
    let database: Database

    /// A federation's year is a few thousand vouchers: well under this.
    static let uploadLimit = 50 << 20

    func addRoutes(to routes: DocumentedRoutes) {
        routes.get("federations/{federation}/sie", use: export)
        routes.post("federations/{federation}/sie", use: importFile)
    }

    /// `?year=2026`: the file in SIE's own character set (PC8, code page 437).
    @Sendable func export(_ request: Request, context: FinsamRequestContext) async throws -> Response {
        let query = QueryParameters(request: request)
        let federation = try context.federation
        let year = try query.required("year", try query.year(), example: "2026")
        let bytes = try await SIEExport(database).run(for: federation, year: year, today: .today, by: try context.user())
        return APIBody.document(bytes, contentType: "text/plain; charset=IBM437", name: "\(federation)-\(year).se")
    }

    /// `?name=bokslut-2025.se&preview=true&interventionDimension=6`.
    @Sendable func importFile(_ request: Request, context: FinsamRequestContext) async throws -> Response {
        let query = QueryParameters(request: request)
        let name = try query.required("name", query.string("name"), example: "bokslut-2025.se")
        let preview = try query.flag("preview")
        let options = SIEImportOptions(interventionDimension: try query.integer("interventionDimension", in: 1...99))
        let bytes = try await APIBody.upload(from: request, limit: Self.uploadLimit)
        let federation = try context.federation
        if preview {
            return try APIBody.json(try await SIEImport(database).preview(bytes, fileName: name, into: federation, options: options, by: try context.user()),
                context: context)
        }
        let summary = try await SIEImport(database).run(bytes, fileName: name, into: federation, options: options, by: try context.user())
        return try APIBody.json(summary, status: .created, context: context)
    }
}
