import FinsamCore
import FinsamService
import Foundation
import Hummingbird

/// The federations a user may see, one federation, its locked periods (`POST …/periods` locks one), and its
/// settings: the bankgiro and terms of its invoices, and the rules for its disbursements (the delegation limit,
/// whether a budget overrun blocks approval, the account it pays from). What a federation keeps is shown to those
/// with a role in it only.
struct FederationController {
    let database: Database

    func addRoutes(to routes: DocumentedRoutes) {
        routes.get("federations", use: federations)
        routes.get("federations/{federation}", use: federation)
        routes.get("federations/{federation}/periods", use: periods)
        routes.post("federations/{federation}/periods", use: lockPeriod)
        routes.get("federations/{federation}/invoicing", use: invoicing)
        routes.patch("federations/{federation}/invoicing", use: changeInvoicing)
        routes.get("federations/{federation}/disbursement-settings", use: disbursementSettings)
        routes.patch("federations/{federation}/disbursement-settings", use: changeDisbursementSettings)
    }

    /// The bankgiro on the federation's invoices and the days to their due date; a field left out stays.
    struct InvoicingChange: Decodable {
        var bankgiro: String?
        var dueDays: Int?
    }

    /// The rules for disbursements; a field left out stays as it is, `"delegationLimit": null` removes the limit.
    struct DisbursementSettingsRequest: Decodable {
        var change: DisbursementSettingsChange

        enum CodingKeys: String, CodingKey { case delegationLimit, budgetOverrunBlocks, payerIBAN, payerBIC }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            var limit: DisbursementSettingsChange.Limit?
            if container.contains(.delegationLimit) {
                limit = try container.decodeNil(forKey: .delegationLimit) ? .unlimited : .set(try container.decode(Money.self, forKey: .delegationLimit))
            }
            change = DisbursementSettingsChange(delegationLimit: limit,
                budgetOverrunBlocks: try container.decodeIfPresent(Bool.self, forKey: .budgetOverrunBlocks),
                payerIBAN: try container.decodeIfPresent(String.self, forKey: .payerIBAN),
                payerBIC: try container.decodeIfPresent(String.self, forKey: .payerBIC))
        }
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

    @Sendable func invoicing(_ request: Request, context: FinsamRequestContext) async throws -> Response {
        try APIBody.json(try await FederationInvoicing(database).settings(of: try context.federation, by: try context.user()), context: context)
    }

    @Sendable func changeInvoicing(_ request: Request, context: FinsamRequestContext) async throws -> Response {
        let body = try await APIBody.decode(InvoicingChange.self, from: request, context: context)
        guard body.bankgiro != nil || body.dueDays != nil else {
            throw ServiceError(.invalid, "begäran ändrar inget: ange bankgiro och/eller dueDays", code: "request.body-invalid")
        }
        let settings = try await FederationInvoicing(database).update(try context.federation, bankgiro: body.bankgiro, dueDays: body.dueDays,
            by: try context.user())
        return try APIBody.json(settings, context: context)
    }

    @Sendable func disbursementSettings(_ request: Request, context: FinsamRequestContext) async throws -> Response {
        try APIBody.json(try await FederationDisbursements(database).settings(of: try context.federation, by: try context.user()), context: context)
    }

    @Sendable func changeDisbursementSettings(_ request: Request, context: FinsamRequestContext) async throws -> Response {
        let body = try await APIBody.decode(DisbursementSettingsRequest.self, from: request, context: context)
        guard body.change != DisbursementSettingsChange() else {
            throw ServiceError(.invalid, "begäran ändrar inget: ange delegationLimit, budgetOverrunBlocks, payerIBAN eller payerBIC",
                code: "request.body-invalid")
        }
        let settings = try await FederationDisbursements(database).update(try context.federation, body.change, by: try context.user())
        return try APIBody.json(settings, context: context)
    }
}
