import FinsamCore
import FinsamService
import Foundation
import Hummingbird

/// The federations a user may see, and a federation's registers: members (with each one's statement), population
/// figures, the chart of accounts, interventions, budgets and forecasts, and the locked periods (`POST …/periods`
/// locks one). Every list as JSON or CSV; what a federation keeps is shown to those with a role in it only.
struct FederationController {
    let database: Database

    func addRoutes(to routes: DocumentedRoutes) {
        routes.get("federations", use: federations)
        routes.get("federations/{federation}", use: federation)
        routes.get("federations/{federation}/members", use: members)
        routes.get("federations/{federation}/members/{member}", use: member)
        routes.get("federations/{federation}/members/{member}/statement", use: memberStatement)
        routes.get("federations/{federation}/population", use: population)
        routes.get("federations/{federation}/accounts", use: accounts)
        routes.get("federations/{federation}/interventions", use: interventions)
        routes.get("federations/{federation}/budgets", use: budgets)
        routes.get("federations/{federation}/periods", use: periods)
        routes.post("federations/{federation}/periods", use: lockPeriod)
    }

    struct LockRequest: Decodable {
        var year: Int
        /// 1–12; without it the whole year.
        var month: Int?
    }

    @Sendable func federations(_ request: Request, context: FinsamRequestContext) async throws -> Response {
        try APIBody.read(try await Federations(database).list(by: try context.user()), request: request, csvName: "forbund", context: context)
    }

    @Sendable func federation(_ request: Request, context: FinsamRequestContext) async throws -> Response {
        try APIBody.json(try await Federations(database).find(try context.federation, by: try context.user()), context: context)
    }

    @Sendable func members(_ request: Request, context: FinsamRequestContext) async throws -> Response {
        let federation = try context.federation
        let found = try await Members(database).list(of: federation, by: try context.user())
        return try APIBody.read(found, request: request, csvName: "medlemmar-\(federation)", context: context)
    }

    @Sendable func member(_ request: Request, context: FinsamRequestContext) async throws -> Response {
        let found = try await Members(database).find(try context.pathCode("member"), in: try context.federation, by: try context.user())
        return try APIBody.json(found, context: context)
    }

    /// Kontoutdrag: the member's invoices, credit notes and payments with the running balance.
    @Sendable func memberStatement(_ request: Request, context: FinsamRequestContext) async throws -> Response {
        let member = try context.pathCode("member")
        let statement = try await MemberAccounts(database).statement(of: member, in: try context.federation, by: try context.user())
        return try APIBody.read(statement, request: request, csvName: "kontoutdrag-\(member)", context: context)
    }

    @Sendable func population(_ request: Request, context: FinsamRequestContext) async throws -> Response {
        let federation = try context.federation
        let figures = try await Population(database).list(of: federation, year: try QueryParameters(request: request).year(), by: try context.user())
        return try APIBody.read(figures, request: request, csvName: "folkmangd-\(federation)", context: context)
    }

    @Sendable func accounts(_ request: Request, context: FinsamRequestContext) async throws -> Response {
        let federation = try context.federation
        let found = try await Accounts(database).list(of: federation, by: try context.user())
        return try APIBody.read(found, request: request, csvName: "kontoplan-\(federation)", context: context)
    }

    @Sendable func interventions(_ request: Request, context: FinsamRequestContext) async throws -> Response {
        let federation = try context.federation
        let found = try await Interventions(database).list(of: federation, by: try context.user())
        return try APIBody.read(found, request: request, csvName: "insatser-\(federation)", context: context)
    }

    /// `?year=2026&kind=budget|forecast` (budget without kind).
    @Sendable func budgets(_ request: Request, context: FinsamRequestContext) async throws -> Response {
        let query = QueryParameters(request: request)
        let federation = try context.federation
        let year = try query.required("year", try query.year(), example: "2026")
        let kind = try query.parse("kind", as: "budget eller forecast") { BudgetLine.Kind(rawValue: $0) } ?? .budget
        let lines = try await Budgets(database).list(kind: kind, year: year, in: federation, by: try context.user())
        return try APIBody.read(lines, request: request, csvName: "\(kind == .budget ? "budget" : "prognos")-\(federation)-\(year)", context: context)
    }

    @Sendable func periods(_ request: Request, context: FinsamRequestContext) async throws -> Response {
        let federation = try context.federation
        let locks = try await PeriodLocks(database).list(in: federation, by: try context.user())
        return try APIBody.read(locks, request: request, csvName: "last-perioder-\(federation)", context: context)
    }

    /// Locks a month (or a whole year) against new vouchers.
    @Sendable func lockPeriod(_ request: Request, context: FinsamRequestContext) async throws -> Response {
        let body = try await APIBody.decode(LockRequest.self, from: request, context: context)
        let lock = try await PeriodLocks(database).lock(year: body.year, month: body.month, in: try context.federation, by: try context.user())
        return try APIBody.json(lock, status: .created, context: context)
    }
}
