import FinsamCore
import FinsamService
import Foundation
import Hummingbird

/// A federation's members (`/api/v1/federations/{federation}/members`): the list, one member and its statement;
/// adding a member, changing its invoicing details and months of membership, how often it is invoiced, and the
/// account its disbursements are paid to. And the population figures its contributions are split by.
struct MemberController {
    let database: Database

    func addRoutes(to routes: DocumentedRoutes) {
        routes.get("federations/{federation}/members", use: list)
        routes.post("federations/{federation}/members", use: add)
        routes.get("federations/{federation}/members/{member}", use: show)
        routes.patch("federations/{federation}/members/{member}", use: change)
        routes.get("federations/{federation}/members/{member}/statement", use: statement)
        routes.put("federations/{federation}/members/{member}/invoice-schedule", use: setSchedule)
        routes.put("federations/{federation}/members/{member}/payout-account", use: setPayoutAccount)
        routes.delete("federations/{federation}/members/{member}/payout-account", use: removePayoutAccount)
        routes.get("federations/{federation}/population", use: population)
        routes.post("federations/{federation}/population", use: setPopulation)
    }

    struct AddRequest: Decodable {
        var code: String
        var kind: MemberKind
        var name: String
        var orgnr: String
        var peppolId: String?
        var invoiceAddress: String?
        var buyerReference: String?
    }

    /// What to change; a field left out stays as it is. An empty text removes the Peppol id, address or reference;
    /// `"joined": null` (or `"left": null`) removes that month.
    struct ChangeRequest: Decodable {
        var peppolId: String?
        var invoiceAddress: String?
        var buyerReference: String?
        var joined: MemberChanges.MonthChange
        var left: MemberChanges.MonthChange

        enum CodingKeys: String, CodingKey { case peppolId, invoiceAddress, buyerReference, joined, left }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            peppolId = try container.decodeIfPresent(String.self, forKey: .peppolId)
            invoiceAddress = try container.decodeIfPresent(String.self, forKey: .invoiceAddress)
            buyerReference = try container.decodeIfPresent(String.self, forKey: .buyerReference)
            joined = try Self.month(container, .joined)
            left = try Self.month(container, .left)
        }

        static func month(_ container: KeyedDecodingContainer<CodingKeys>, _ key: CodingKeys) throws -> MemberChanges.MonthChange {
            guard container.contains(key) else { return .keep }
            if try container.decodeNil(forKey: key) { return .clear }
            let text = try container.decode(String.self, forKey: key)
            guard let month = YearMonth(text), (2004...2200).contains(month.year) else {
                throw DecodingError.dataCorruptedError(forKey: key, in: container, debugDescription: "\(text) är ingen månad (ÅÅÅÅ-MM)")
            }
            return .set(year: month.year, month: month.month)
        }

        var changesNothing: Bool {
            peppolId == nil && invoiceAddress == nil && buyerReference == nil && joined == .keep && left == .keep
        }
    }

    struct ScheduleRequest: Decodable {
        var schedule: InvoiceSchedule
    }

    /// One of the two.
    struct PayoutAccountRequest: Decodable {
        var bankgiro: String?
        var bankAccount: String?
    }

    /// Where a member's disbursements are paid; `account` is absent when it has none.
    struct PayoutAccountAnswer: Encodable {
        struct Account: Encodable {
            /// `bankgiro` or `bankAccount`.
            var kind: String
            /// `5050-1055`, or clearing and account number `6000-123456789`.
            var number: String
        }
        var member: String
        var account: Account?

        init(member: String, _ account: PayoutAccount?) {
            self.member = member
            self.account = account.map {
                switch $0 {
                case .bankgiro(let number): Account(kind: "bankgiro", number: number)
                case .bankAccount(let clearing, let number): Account(kind: "bankAccount", number: "\(clearing)-\(number)")
                }
            }
        }
    }

    struct PopulationRequest: Decodable {
        var member: String
        var year: Int
        var population: Int
        /// By default 1 November the year before.
        var referenceDate: CalendarDate?
        var source: String?
    }

    @Sendable func list(_ request: Request, context: FinsamRequestContext) async throws -> Response {
        let federation = try context.federation
        let found = try await Members(database).list(of: federation, by: try context.user())
        return try APIBody.read(found, request: request, csvName: "medlemmar-\(federation)", context: context)
    }

    @Sendable func add(_ request: Request, context: FinsamRequestContext) async throws -> Response {
        let body = try await APIBody.decode(AddRequest.self, from: request, context: context)
        let details = MemberDetails(code: body.code, kind: body.kind, name: body.name, orgnr: body.orgnr, peppolId: body.peppolId,
            invoiceAddress: body.invoiceAddress, buyerReference: body.buyerReference)
        let member = try await Members(database).add(details, to: try context.federation, by: try context.user())
        return try APIBody.json(member, status: .created, context: context)
    }

    @Sendable func show(_ request: Request, context: FinsamRequestContext) async throws -> Response {
        let found = try await Members(database).find(try context.pathCode("member"), in: try context.federation, by: try context.user())
        return try APIBody.json(found, context: context)
    }

    @Sendable func change(_ request: Request, context: FinsamRequestContext) async throws -> Response {
        let body = try await APIBody.decode(ChangeRequest.self, from: request, context: context)
        guard !body.changesNothing else {
            throw ServiceError(.invalid, "begäran ändrar inget: ange peppolId, invoiceAddress, buyerReference, joined eller left",
                code: "request.body-invalid")
        }
        let changes = MemberChanges(peppolId: body.peppolId, invoiceAddress: body.invoiceAddress, buyerReference: body.buyerReference,
            joined: body.joined, left: body.left)
        let member = try await Members(database).update(try context.pathCode("member"), in: try context.federation, changes, by: try context.user())
        return try APIBody.json(member, context: context)
    }

    /// Kontoutdrag: the member's invoices, credit notes and payments with the running balance.
    @Sendable func statement(_ request: Request, context: FinsamRequestContext) async throws -> Response {
        let member = try context.pathCode("member")
        let statement = try await MemberAccounts(database).statement(of: member, in: try context.federation, by: try context.user())
        return try APIBody.read(statement, request: request, csvName: "kontoutdrag-\(member)", context: context)
    }

    @Sendable func setSchedule(_ request: Request, context: FinsamRequestContext) async throws -> Response {
        let body = try await APIBody.decode(ScheduleRequest.self, from: request, context: context)
        let member = try await Members(database).setSchedule(body.schedule, member: try context.pathCode("member"), in: try context.federation,
            by: try context.user())
        return try APIBody.json(member, context: context)
    }

    @Sendable func setPayoutAccount(_ request: Request, context: FinsamRequestContext) async throws -> Response {
        let body = try await APIBody.decode(PayoutAccountRequest.self, from: request, context: context)
        guard (body.bankgiro == nil) != (body.bankAccount == nil) else {
            throw ServiceError(.invalid, "ange antingen bankgiro eller bankAccount", code: "request.body-invalid",
                arguments: ["field": "bankgiro"])
        }
        let member = try context.pathCode("member")
        let account = try await Members(database).setPayoutAccount(member, in: try context.federation, bankgiro: body.bankgiro,
            bankAccount: body.bankAccount, by: try context.user())
        return try APIBody.json(PayoutAccountAnswer(member: member, account), context: context)
    }

    @Sendable func removePayoutAccount(_ request: Request, context: FinsamRequestContext) async throws -> Response {
        let member = try context.pathCode("member")
        let account = try await Members(database).setPayoutAccount(member, in: try context.federation, bankgiro: nil, bankAccount: nil,
            by: try context.user())
        return try APIBody.json(PayoutAccountAnswer(member: member, account), context: context)
    }

    @Sendable func population(_ request: Request, context: FinsamRequestContext) async throws -> Response {
        let federation = try context.federation
        let figures = try await Population(database).list(of: federation, year: try QueryParameters(request: request).year(), by: try context.user())
        return try APIBody.read(figures, request: request, csvName: "folkmangd-\(federation)", context: context)
    }

    /// Sets (or corrects) one municipality's figure for a year.
    @Sendable func setPopulation(_ request: Request, context: FinsamRequestContext) async throws -> Response {
        let body = try await APIBody.decode(PopulationRequest.self, from: request, context: context)
        let figure = try await Population(database).set(member: body.member, in: try context.federation, year: body.year,
            population: body.population, referenceDate: body.referenceDate, source: body.source ?? "SCB", by: try context.user())
        return try APIBody.json(figure, context: context)
    }
}
