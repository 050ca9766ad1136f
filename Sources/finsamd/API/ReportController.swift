import FinsamCore
import FinsamService
import Foundation
import Hummingbird

/// A federation's reports (`/api/v1/federations/{federation}/reports/…`), each as JSON or CSV: the income statement,
/// the balance sheet (at two dates), the trial balance, an account's ledger, the cost distribution, a decision table,
/// the commitments per intervention, the year's contributions per member, the open items, and the reconciliation of
/// the books against the documents.
struct ReportController {
    let database: Database

    func addRoutes(to routes: DocumentedRoutes) {
        routes.get("federations/{federation}/reports/income-statement", use: incomeStatement)
        routes.get("federations/{federation}/reports/balance-sheet", use: balanceSheet)
        routes.get("federations/{federation}/reports/trial-balance", use: trialBalance)
        routes.get("federations/{federation}/reports/account-ledger", use: accountLedger)
        routes.get("federations/{federation}/reports/cost-distribution", use: costDistribution)
        routes.get("federations/{federation}/reports/decision-table", use: decisionTable)
        routes.get("federations/{federation}/reports/commitments", use: commitments)
        routes.get("federations/{federation}/reports/contributions", use: contributions)
        routes.get("federations/{federation}/reports/open-items", use: openItems)
        routes.get("federations/{federation}/reports/reconciliation", use: reconciliation)
        routes.get("federations/{federation}/reports/reconciliation/nightly", use: nightlyReconciliation)
    }

    /// Resultaträkning: `?year=2026&to=2026-10-31` (to: the last day of actual figures, the year's end without it).
    @Sendable func incomeStatement(_ request: Request, context: FinsamRequestContext) async throws -> Response {
        let query = QueryParameters(request: request)
        let federation = try context.federation
        let year = try query.required("year", try query.year(), example: "2026")
        let statement = try await IncomeStatementReport(database).make(for: federation, year: year, to: try query.date("to"), by: try context.user())
        return try APIBody.read(statement, request: request, csvName: "resultatrakning-\(federation)-\(year)", context: context)
    }

    /// Balansräkning: `?at=2026-10-31&compare=2025-12-31`.
    @Sendable func balanceSheet(_ request: Request, context: FinsamRequestContext) async throws -> Response {
        let query = QueryParameters(request: request)
        let federation = try context.federation
        let at = try query.required("at", try query.date("at"), example: "2026-10-31")
        let sheet = try await BalanceSheetReport(database).make(for: federation, at: at, compare: try query.date("compare"), by: try context.user())
        return try APIBody.read(sheet, request: request, csvName: "balansrakning-\(federation)-\(at)", context: context)
    }

    /// Råbalans: `?from=2026-01-01&to=2026-10-31`.
    @Sendable func trialBalance(_ request: Request, context: FinsamRequestContext) async throws -> Response {
        let query = QueryParameters(request: request)
        let federation = try context.federation
        let (from, to) = try Self.interval(query)
        let balance = try await TrialBalanceReport(database).make(for: federation, from: from, to: to, by: try context.user())
        return try APIBody.read(balance, request: request, csvName: "rabalans-\(federation)-\(from)-\(to)", context: context)
    }

    /// Huvudbok för ett konto: `?account=5410&from=…&to=…`.
    @Sendable func accountLedger(_ request: Request, context: FinsamRequestContext) async throws -> Response {
        let query = QueryParameters(request: request)
        let federation = try context.federation
        let account = try query.required("account", try query.integer("account", in: 1000...9999), example: "5410")
        let (from, to) = try Self.interval(query)
        let ledger = try await AccountLedgerReport(database).make(for: federation, account: account, from: from, to: to, by: try context.user())
        return try APIBody.read(ledger, request: request, csvName: "huvudbok-\(federation)-\(account)", context: context)
    }

    /// Kostnadsfördelning: `?year=2026&to=2026-10-31`.
    @Sendable func costDistribution(_ request: Request, context: FinsamRequestContext) async throws -> Response {
        let query = QueryParameters(request: request)
        let federation = try context.federation
        let year = try query.required("year", try query.year(), example: "2026")
        let to = try query.date("to") ?? CalendarDate.lastDay(ofYear: year)
        let distribution = try await CostDistributionReport(database).make(for: federation, from: .firstDay(ofYear: year), to: to, by: try context.user())
        return try APIBody.read(distribution, request: request, csvName: "kostnadsfordelning-\(federation)-\(year)", context: context)
    }

    /// Beslutstabell: `?intervention=coach&halfYear=2026H2`.
    @Sendable func decisionTable(_ request: Request, context: FinsamRequestContext) async throws -> Response {
        let query = QueryParameters(request: request)
        let federation = try context.federation
        let intervention = try query.required("intervention", query.string("intervention"), example: "coach")
        let halfYear = try query.required("halfYear", try query.halfYear("halfYear"), example: "2026H2")
        let table = try await DecisionReports(database).table(in: federation, intervention: intervention, halfYear: halfYear, by: try context.user())
        return try APIBody.read(table, request: request, csvName: "beslut-\(federation)-\(intervention)-\(halfYear)", context: context)
    }

    /// Åtaganden per insats: `?year=2026`.
    @Sendable func commitments(_ request: Request, context: FinsamRequestContext) async throws -> Response {
        let query = QueryParameters(request: request)
        let federation = try context.federation
        let year = try query.required("year", try query.year(), example: "2026")
        let report = try await DecisionReports(database).commitments(in: federation, year: year, by: try context.user())
        return try APIBody.read(report, request: request, csvName: "ataganden-\(federation)-\(year)", context: context)
    }

    /// Årets medlemsbidrag per medlem: `?year=2026`.
    @Sendable func contributions(_ request: Request, context: FinsamRequestContext) async throws -> Response {
        let query = QueryParameters(request: request)
        let federation = try context.federation
        let year = try query.required("year", try query.year(), example: "2026")
        let report = try await MemberAccounts(database).contributions(in: federation, year: year, by: try context.user())
        return try APIBody.read(report, request: request, csvName: "medlemsbidrag-\(federation)-\(year)", context: context)
    }

    /// Öppna poster: `?at=2026-10-31&member=kommun-a` (today, every member without them).
    @Sendable func openItems(_ request: Request, context: FinsamRequestContext) async throws -> Response {
        let query = QueryParameters(request: request)
        let federation = try context.federation
        let at = try query.date("at") ?? .today
        let items = try await Payments(database).openItems(in: federation, at: at, member: query.string("member"), by: try context.user())
        return try APIBody.read(items, request: request, csvName: "oppna-poster-\(federation)-\(at)", context: context)
    }

    /// Avstämning: the ledger's accounts against the invoices, payments and disbursements, `?at=` (today without it).
    @Sendable func reconciliation(_ request: Request, context: FinsamRequestContext) async throws -> Response {
        let at = try QueryParameters(request: request).date("at") ?? .today
        return try APIBody.json(try await Reconciliation(database).check(try context.federation, at: at, by: try context.user()), context: context)
    }

    /// What the latest nightly run found (schema/028): 404 before the first night.
    @Sendable func nightlyReconciliation(_ request: Request, context: FinsamRequestContext) async throws -> Response {
        let federation = try context.federation
        guard let night = try await NightlyResults(database).latest(in: federation, by: try context.user()) else {
            throw ServiceError(.notFound, "ingen nattlig avstämning av \(federation) har sparats än", code: "reconciliation.no-night",
                arguments: ["federation": federation])
        }
        return try APIBody.json(night, context: context)
    }

    static func interval(_ query: QueryParameters) throws -> (from: CalendarDate, to: CalendarDate) {
        let from = try query.required("from", try query.date("from"), example: "2026-01-01")
        let to = try query.required("to", try query.date("to"), example: "2026-12-31")
        guard from <= to else {
            throw ServiceError(.invalid, "from=\(from) ligger efter to=\(to)", code: "request.parameter-invalid", arguments: ["field": "to"])
        }
        return (from, to)
    }
}
