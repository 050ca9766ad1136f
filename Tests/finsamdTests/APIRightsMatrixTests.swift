import FinsamCore
import FinsamService
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing
import TestSupport

@testable import finsamd

/// Every route of the API, called by a person of each role in Norra Älvmark (with an API token), in Norra Älvmark
/// and in Södra Älvmark where they hold no role. What each cell must answer comes from the rights table
/// (`Rights.roles(for:)`) and the use case each route is, stated here by hand from what the route does: a role the
/// table allows never gets 401 or 403 (nor a 5xx), one it does not allow gets 403, and nobody gets anything but 403
/// from a federation they hold no role in.
@Suite struct APIRightsMatrixTests {
    struct Route: Sendable, CustomStringConvertible {
        var method: HTTPRequest.Method
        /// `{f}` stands for the federation.
        var path: String
        /// The use case the route is: who may call it follows from the rights table.
        var useCase: UseCase
        var body: [UInt8]? = nil
        var contentType = "application/json"
        /// Whether the route concerns one federation (`/federations/{f}/…`).
        var federationScoped = true

        var description: String { "\(method.rawValue) \(path)" }

        init(_ method: HTTPRequest.Method, _ path: String, _ useCase: UseCase, json: String? = nil) {
            self.method = method
            self.path = path
            self.useCase = useCase
            body = json.map { Array($0.utf8) }
            federationScoped = path.contains("{f}") || json?.contains("{f}") == true
        }

        init(_ method: HTTPRequest.Method, _ path: String, _ useCase: UseCase, file: [UInt8]) {
            self.init(method, path, useCase)
            body = file
            contentType = "application/octet-stream"
        }
    }

    static func routes() throws -> [Route] {
        let bankFile = try Fixtures.bytes("bgmax/bgmax-example-ocr-length-check.txt")
        let sieFile = try Fixtures.bytes("sie/BL0001_typ4.SE")
        return [
            Route(.get, "/api/v1/federations", .federationRead),
            Route(.get, "/api/v1/federations/{f}", .federationRead),
            Route(.get, "/api/v1/federations/{f}/members", .memberRead),
            Route(.get, "/api/v1/federations/{f}/members/ankeby", .memberRead),
            Route(.get, "/api/v1/federations/{f}/members/ankeby/statement", .reportRead),
            Route(.post, "/api/v1/federations/{f}/members", .memberChange,
                json: #"{"code":"matris-kommun","kind":"municipality","name":"Matris kommun","orgnr":"212000-0142"}"#),
            Route(.patch, "/api/v1/federations/{f}/members/ankeby", .memberChange, json: #"{"buyerReference":"Matris"}"#),
            Route(.put, "/api/v1/federations/{f}/members/ankeby/invoice-schedule", .memberChange, json: #"{"schedule":"yearly"}"#),
            Route(.put, "/api/v1/federations/{f}/members/ankeby/payout-account", .memberChange, json: #"{"bankgiro":"5050-1055"}"#),
            Route(.delete, "/api/v1/federations/{f}/members/ankeby/payout-account", .memberChange),
            Route(.get, "/api/v1/federations/{f}/population", .memberRead),
            Route(.post, "/api/v1/federations/{f}/population", .populationSet, json: #"{"member":"ankeby","year":2019,"population":1000}"#),
            Route(.get, "/api/v1/federations/{f}/accounts", .federationRead),
            Route(.post, "/api/v1/federations/{f}/accounts", .chartChange, json: #"{"number":6999,"name":"Matris"}"#),
            Route(.get, "/api/v1/federations/{f}/posting-accounts", .federationRead),
            Route(.put, "/api/v1/federations/{f}/posting-accounts/bank", .postingAccountsSet, json: #"{"account":1930}"#),
            Route(.get, "/api/v1/federations/{f}/interventions", .federationRead),
            Route(.post, "/api/v1/federations/{f}/interventions", .chartChange, json: #"{"code":"matris","name":"Matris","category":"structural"}"#),
            Route(.get, "/api/v1/federations/{f}/budgets?year=2026", .reportRead),
            Route(.post, "/api/v1/federations/{f}/budgets", .budgetSet, json: #"{"year":2019,"account":6999,"amount":"1.00"}"#),
            Route(.get, "/api/v1/federations/{f}/invoicing", .federationRead),
            Route(.patch, "/api/v1/federations/{f}/invoicing", .invoiceSettings, json: #"{"dueDays":30}"#),
            Route(.get, "/api/v1/federations/{f}/disbursement-settings", .federationRead),
            Route(.patch, "/api/v1/federations/{f}/disbursement-settings", .federationSettings, json: #"{"budgetOverrunBlocks":false}"#),
            Route(.get, "/api/v1/federations/{f}/periods", .federationRead),
            Route(.post, "/api/v1/federations/{f}/periods", .periodLock, json: #"{"year":2019,"month":1}"#),
            Route(.get, "/api/v1/federations/{f}/vouchers?year=2026", .voucherRead),
            Route(.post, "/api/v1/federations/{f}/vouchers", .voucherPost,
                json: #"{"date":"2026-11-16","series":"A","text":"Matris","lines":[{"account":1930,"amount":"1.00"},{"account":1510,"amount":"-1.00"}]}"#),
            Route(.get, "/api/v1/federations/{f}/vouchers/A-1?year=2026", .voucherRead),
            Route(.post, "/api/v1/federations/{f}/vouchers/A-999/reverse?year=2026", .voucherReverse, json: "{}"),
            Route(.get, "/api/v1/federations/{f}/reports/income-statement?year=2026", .reportRead),
            Route(.get, "/api/v1/federations/{f}/reports/balance-sheet?at=2026-10-31", .reportRead),
            Route(.get, "/api/v1/federations/{f}/reports/trial-balance?from=2026-01-01&to=2026-10-31", .reportRead),
            Route(.get, "/api/v1/federations/{f}/reports/account-ledger?account=1930&from=2026-01-01&to=2026-10-31", .reportRead),
            Route(.get, "/api/v1/federations/{f}/reports/cost-distribution?year=2026", .reportRead),
            Route(.get, "/api/v1/federations/{f}/reports/decision-table?intervention=se-unga&halfYear=2026H1", .reportRead),
            Route(.get, "/api/v1/federations/{f}/reports/commitments?year=2026", .reportRead),
            Route(.get, "/api/v1/federations/{f}/reports/contributions?year=2026", .reportRead),
            Route(.get, "/api/v1/federations/{f}/reports/open-items", .invoiceRead),
            Route(.get, "/api/v1/federations/{f}/reports/reconciliation", .reconcile),
            Route(.get, "/api/v1/federations/{f}/reports/reconciliation/nightly", .reconcile),
            Route(.get, "/api/v1/federations/{f}/contribution-plans/2026", .reportRead),
            Route(.post, "/api/v1/federations/{f}/contribution-plans", .contributionPlan, json: #"{"year":2026,"total":"1000000","preview":true}"#),
            Route(.post, "/api/v1/federations/{f}/payments/I-999/reverse?year=2026", .paymentReverse, json: #"{"reason":"Matris"}"#),
            Route(.post, "/api/v1/federations/{f}/invoice-runs", .invoiceRun, json: #"{"period":"2026","preview":true}"#),
            Route(.get, "/api/v1/federations/{f}/invoices", .invoiceRead),
            Route(.get, "/api/v1/federations/{f}/invoices/2025-1", .invoiceRead),
            Route(.get, "/api/v1/federations/{f}/invoices/2025-1/printable", .invoiceRead),
            Route(.get, "/api/v1/federations/{f}/invoices/2025-1/peppol", .invoiceRead),
            Route(.post, "/api/v1/federations/{f}/invoices/2025-1/credit-notes", .creditNoteIssue, json: #"{"amount":"1.00","reason":"Matris"}"#),
            Route(.post, "/api/v1/federations/{f}/invoices/2025-1/payments", .paymentRegister, json: #"{"amount":"1.00","date":"2026-11-16"}"#),
            Route(.get, "/api/v1/federations/{f}/bank-files", .reportRead),
            Route(.post, "/api/v1/federations/{f}/bank-files?name=bgmax.txt", .bankFileImport, file: bankFile),
            Route(.get, "/api/v1/federations/{f}/bank-payments/unmatched", .reportRead),
            Route(.post, "/api/v1/federations/{f}/bank-payments/999/match", .bankPaymentSettle, json: #"{"parts":[{"invoice":"2025-1"}]}"#),
            Route(.post, "/api/v1/federations/{f}/bank-payments/999/settle", .bankPaymentSettle, json: #"{"voucher":"A-1","year":2026}"#),
            Route(.get, "/api/v1/federations/{f}/decisions?year=2026", .reportRead),
            Route(.post, "/api/v1/federations/{f}/decisions", .decisionChange,
                json: #"{"intervention":"se-unga","member":"ankeby","halfYear":"2019H1","reference":"2019-01-10 §1","amount":"1000.00"}"#),
            Route(.post, "/api/v1/federations/{f}/decisions/adjustments", .decisionChange,
                json: #"{"intervention":"se-unga","member":"ankeby","halfYear":"2019H1","from":"2019-02","to":"2019-02","vacant":true}"#),
            Route(.get, "/api/v1/federations/{f}/decisions/statement?intervention=se-unga&member=ankeby&halfYear=2026H1", .reportRead),
            Route(.get, "/api/v1/federations/{f}/disbursements", .reportRead),
            Route(.get, "/api/v1/federations/{f}/disbursements/1", .reportRead),
            Route(.post, "/api/v1/federations/{f}/disbursements/999/approve", .disbursementApprove),
            Route(.post, "/api/v1/federations/{f}/disbursements/999/return", .disbursementReturn, json: #"{"comment":"Matris"}"#),
            Route(.post, "/api/v1/federations/{f}/disbursements/999/reject", .disbursementReject, json: #"{"comment":"Matris"}"#),
            Route(.post, "/api/v1/federations/{f}/disbursements/prepare", .disbursementPrepare, json: #"{"intervention":"se-unga","halfYear":"2026H2"}"#),
            Route(.post, "/api/v1/federations/{f}/disbursements/submit", .disbursementSubmit, json: #"{"numbers":[999]}"#),
            Route(.post, "/api/v1/federations/{f}/disbursements/pay", .disbursementPay, json: #"{"numbers":[999],"date":"2026-11-30"}"#),
            Route(.get, "/api/v1/federations/{f}/disbursement-batches/1", .reportRead),
            Route(.get, "/api/v1/federations/{f}/disbursement-batches/1/pain001", .reportRead),
            Route(.get, "/api/v1/federations/{f}/sie?year=2026", .sieExport),
            Route(.post, "/api/v1/federations/{f}/sie?name=bl0001.se&preview=true", .sieImport, file: sieFile),
            Route(.get, "/api/v1/federations/{f}/audit", .auditRead),
            Route(.get, "/api/v1/federations/{f}/audit/verification", .auditRead),
            Route(.get, "/api/v1/users", .userManage),
            Route(.get, "/api/v1/users/anna.dahl", .userManage),
            Route(.post, "/api/v1/users", .userManage, json: #"{"code":"matris.ny","name":"Matris Ny","roles":[{"federation":"{f}","role":"board"}]}"#),
            Route(.post, "/api/v1/users/matris.mottagare/roles", .userManage, json: #"{"roles":[{"federation":"{f}","role":"board"}]}"#),
            Route(.delete, "/api/v1/users/matris.mottagare/roles/{f}/board", .userManage),
        ]
    }

    /// A person per role, each with that one role in Norra Älvmark only, and their API tokens.
    static func tokensPerRole(_ database: Database) async throws -> [Role: String] {
        var tokens: [Role: String] = [:]
        // The person the administrators grant a role to and take it from.
        _ = try await Users(database).add(code: "matris.mottagare", name: "Matris Mottagare",
            roles: [RoleGrant(federation: "norralv", role: .board), RoleGrant(federation: "sodraalv", role: .board)], by: .operator("test"))
        for role in Role.allCases {
            let code = "matris.\(role.rawValue)"
            _ = try await Users(database).add(code: code, name: "Matris \(role.swedishName)",
                roles: [RoleGrant(federation: "norralv", role: role)], by: .operator("test"))
            tokens[role] = try await Credentials(database).createToken(for: code, name: "matris", expires: nil, by: .operator("test")).secret
        }
        return tokens
    }

    @Test func everyRoleGetsWhatTheRightsTableSaysOnEveryRouteInItsOwnFederationAndNothingInAnother() async throws {
        let routes = try Self.routes()
        // Every route the daemon has is in the matrix, but the session's own three.
        let documented = Set(try Self.documentedOperations().filter { !$0.hasSuffix("/api/v1/session") })
        #expect(Set(routes.map { "\($0.method.rawValue) \(Self.template($0.path))" }) == documented)

        try await APITests.withDemoDaemon(setUp: Self.tokensPerRole) { client, tokens in
            var cells = 0
            for route in routes {
                for role in Role.allCases {
                    let allowed = Rights.roles(for: route.useCase).contains(role)
                    for federation in route.federationScoped ? ["norralv", "sodraalv"] : ["norralv"] {
                        let status = try await Self.call(client, route, federation: federation, token: tokens[role]!)
                        cells += 1
                        let cell = "\(role.rawValue) \(route) in \(federation): \(status)"
                        if federation == "sodraalv" {
                            #expect(status == 403, "\(cell)")
                        } else if allowed {
                            #expect(status != 401 && status != 403 && status < 500, "\(cell)")
                        } else {
                            #expect(status == 403, "\(cell)")
                        }
                    }
                }
            }
            // 79 routes, 76 of them in a federation: 6 roles × (76 × 2 + 3).
            #expect(cells == 6 * (76 * 2 + 3))
        }
    }

    static func call(_ client: some TestClientProtocol, _ route: Route, federation: String, token: String) async throws -> Int {
        var headers: HTTPFields = [.authorization: "Bearer \(token)"]
        if route.body != nil { headers[.contentType] = route.contentType }
        let body = route.contentType == "application/json"
            ? route.body.map { Array(String(decoding: $0, as: UTF8.self).replacingOccurrences(of: "{f}", with: federation).utf8) } : route.body
        return try await client.execute(uri: route.path.replacingOccurrences(of: "{f}", with: federation), method: route.method,
            headers: headers, body: body.map { ByteBuffer(bytes: $0) }) { Int($0.status.code) }
    }

    /// `/api/v1/federations/{f}/members/ankeby/statement?x` → the document's `/api/v1/federations/{federation}/members/{member}/statement`.
    static func template(_ path: String) -> String {
        let names = ["members": "member", "vouchers": "voucher", "invoices": "invoice", "disbursements": "number",
            "disbursement-batches": "number", "bank-payments": "payment", "contribution-plans": "year", "users": "user",
            "payments": "voucher", "posting-accounts": "purpose"]
        let fixed: Set<String> = ["statement", "reverse", "printable", "peppol", "credit-notes", "payments", "match", "approve", "return",
            "reject", "prepare", "submit", "pay", "pain001", "unmatched", "verification", "settle", "invoice-schedule", "payout-account"]
        let segments = path.split(separator: "?")[0].split(separator: "/").map(String.init)
        var out: [String] = []
        for (index, segment) in segments.enumerated() {
            if segment == "{f}" { out.append("{federation}"); continue }
            if index > 1, segments[index - 1] == "{f}", segments[index - 2] == "roles" { out.append("{role}"); continue }
            if index > 0, let name = names[segments[index - 1]], !fixed.contains(segment) { out.append("{\(name)}"); continue }
            out.append(segment)
        }
        return "/" + out.joined(separator: "/")
    }

    static func documentedOperations() throws -> [String] {
        let document = try #require(try JSONSerialization.jsonObject(with: Data(OpenAPIDocument.bytes)) as? [String: Any])
        let paths = try #require(document["paths"] as? [String: [String: Any]])
        return paths.flatMap { path, operations in operations.keys.map { "\($0.uppercased()) \(path)" } }
    }
}
