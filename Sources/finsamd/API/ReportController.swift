import FinsamCore
import FinsamService
import Foundation
import Hummingbird

/// A federation's reports (`/api/v1/federations/{federation}/reports/…`), each as JSON or CSV.
struct ReportController {
    let incomeStatements: IncomeStatementReport

    func addRoutes(to routes: DocumentedRoutes) {
        routes.get("federations/{federation}/reports/income-statement", use: incomeStatement)
    }

    /// Resultaträkning: `?year=2026&to=2026-10-31` (to: the last day of actual figures, the year's end without it).
    @Sendable func incomeStatement(_ request: Request, context: FinsamRequestContext) async throws -> Response {
        let query = QueryParameters(request: request)
        let federation = try context.pathCode("federation")
        guard let year = try query.integer("year", in: 2000...2100) else {
            throw ServiceError(.invalid, "året saknas (year=ÅÅÅÅ)", code: "request.parameter-missing", arguments: ["field": "year"])
        }
        let to = try query.parse("to", as: "ett datum (ÅÅÅÅ-MM-DD)") { CalendarDate(iso: $0) }
        let statement = try await incomeStatements.make(for: federation, year: year, to: to, by: try context.user())
        if try APIBody.wantsCSV(request) {
            return APIBody.csv(statement.csv, name: "resultatrakning-\(federation)-\(year)")
        }
        return try APIBody.json(statement, context: context)
    }
}
