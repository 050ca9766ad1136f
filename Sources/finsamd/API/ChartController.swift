import FinsamCore
import FinsamService
import Foundation
import Hummingbird

/// What a federation books on and plans by (`/api/v1/federations/{federation}/…`): the chart of accounts and a new
/// account, the accounts Finsam itself posts to (bank, receivables, contributions per kind of member …),
/// the interventions and a new one, and the budget and forecast lines of a year.
struct ChartController {
    let database: Database

    func addRoutes(to routes: DocumentedRoutes) {
        routes.get("federations/{federation}/accounts", use: accounts)
        routes.post("federations/{federation}/accounts", use: addAccount)
        routes.get("federations/{federation}/posting-accounts", use: postingAccounts)
        routes.put("federations/{federation}/posting-accounts/{purpose}", use: setPostingAccount)
        routes.get("federations/{federation}/interventions", use: interventions)
        routes.post("federations/{federation}/interventions", use: addIntervention)
        routes.get("federations/{federation}/budgets", use: budgets)
        routes.post("federations/{federation}/budgets", use: setBudgetLine)
    }

    struct AccountRequest: Decodable {
        /// 4–9 digits: `6420`, or the sub-account `642010`.
        var number: Int
        var name: String
        /// The kind of member whose contributions it carries.
        var memberKind: MemberKind?
        var costCategory: CostCategory?
        /// A line of the administration's costs (implies the category administration).
        var administrationLine: AdministrationLine?
    }

    struct PostingAccountRequest: Decodable {
        var account: Int
    }

    struct InterventionRequest: Decodable {
        var code: String
        var name: String
        var category: CostCategory
        /// How the board funds it per municipality and half-year; absent: not by such decisions.
        var funding: FundingModel?
        /// By default 1 January of this year.
        var activeFrom: CalendarDate?
        var activeTo: CalendarDate?
    }

    struct BudgetLineRequest: Decodable {
        /// `budget` (without it) or `forecast`.
        var kind: BudgetLine.Kind?
        var year: Int
        var account: Int?
        var intervention: String?
        var member: String?
        /// Revenue and costs both positive.
        var amount: Money
    }

    @Sendable func accounts(_ request: Request, context: FinsamRequestContext) async throws -> Response {
        let federation = try context.federation
        let found = try await Accounts(database).list(of: federation, by: try context.user())
        return try APIBody.read(found, request: request, csvName: "kontoplan-\(federation)", context: context)
    }

    @Sendable func addAccount(_ request: Request, context: FinsamRequestContext) async throws -> Response {
        let body = try await APIBody.decode(AccountRequest.self, from: request, context: context)
        let account = Account(number: body.number, name: body.name, memberKind: body.memberKind,
            costCategory: body.costCategory ?? (body.administrationLine != nil ? .administration : nil),
            administrationLine: body.administrationLine)
        let added = try await Accounts(database).add(account, to: try context.federation, by: try context.user())
        return try APIBody.json(added, status: .created, context: context)
    }

    @Sendable func postingAccounts(_ request: Request, context: FinsamRequestContext) async throws -> Response {
        let federation = try context.federation
        let settings = try await PostingAccountSettings(database).list(of: federation, by: try context.user())
        return try APIBody.read(settings, request: request, csvName: "bokforingskonton-\(federation)", context: context)
    }

    /// `{purpose}`: `bank`, `receivables`, `disbursement-cost`, `claims`, `brought-forward`, or
    /// `contributions:fk` (`:af`, `:region`, `:municipality`) as the list names them. Answers the whole list as it
    /// now stands.
    @Sendable func setPostingAccount(_ request: Request, context: FinsamRequestContext) async throws -> Response {
        let purpose = try context.pathCode("purpose")
        let body = try await APIBody.decode(PostingAccountRequest.self, from: request, context: context)
        let federation = try context.federation
        let settings = PostingAccountSettings(database)
        let user = try context.user()
        if let known = PostingPurpose(rawValue: purpose) {
            try await settings.set(known, to: body.account, in: federation, by: user)
        } else if purpose.hasPrefix("contributions:"), let kind = MemberKind(rawValue: String(purpose.dropFirst("contributions:".count))) {
            try await settings.setContributions(of: kind, to: body.account, in: federation, by: user)
        } else {
            throw ServiceError(.notFound, "\(purpose) är inget ändamål (\(PostingPurpose.allCases.map(\.rawValue).joined(separator: ", ")) "
                + "eller contributions:SLAG)", code: "request.path-invalid", arguments: ["field": "purpose"])
        }
        return try APIBody.json(PostingAccountChange(purpose: purpose, account: body.account), context: context)
    }

    /// What a posting account was set to.
    struct PostingAccountChange: Encodable {
        var purpose: String
        var account: Int
    }

    @Sendable func interventions(_ request: Request, context: FinsamRequestContext) async throws -> Response {
        let federation = try context.federation
        let found = try await Interventions(database).list(of: federation, by: try context.user())
        return try APIBody.read(found, request: request, csvName: "insatser-\(federation)", context: context)
    }

    @Sendable func addIntervention(_ request: Request, context: FinsamRequestContext) async throws -> Response {
        let body = try await APIBody.decode(InterventionRequest.self, from: request, context: context)
        let intervention = Intervention(code: body.code, name: body.name, category: body.category,
            activeFrom: body.activeFrom ?? CalendarDate.firstDay(ofYear: CalendarDate.today.year), activeTo: body.activeTo,
            funding: body.funding)
        let added = try await Interventions(database).add(intervention, to: try context.federation, by: try context.user())
        return try APIBody.json(added, status: .created, context: context)
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

    /// Sets one line of a year's budget or forecast (replacing the amount of the same account, intervention and
    /// member).
    @Sendable func setBudgetLine(_ request: Request, context: FinsamRequestContext) async throws -> Response {
        let body = try await APIBody.decode(BudgetLineRequest.self, from: request, context: context)
        guard body.account != nil || body.intervention != nil else {
            throw ServiceError(.invalid, "fältet account: ange account eller intervention", code: "request.body-invalid",
                arguments: ["field": "account"])
        }
        let line = BudgetLine(kind: body.kind ?? .budget, year: body.year, account: body.account, intervention: body.intervention,
            member: body.member, amount: body.amount)
        let saved = try await Budgets(database).set(line, in: try context.federation, by: try context.user())
        return try APIBody.json(saved, context: context)
    }
}
