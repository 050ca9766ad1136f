import FinsamCore
import FinsamService
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import TestSupport

@testable import finsamd

/// Setting a federation up through the API, as the CLI does it: a municipality joining in July with its population
/// and a board decision for it, a vacant month, its payout account; the federation's settings; a person added and
/// their role taken away again. Against the demo county; the expected figures are worked out by hand from DOMAIN.md.
@Suite struct APISetupTests {
    struct Tokens: Sendable {
        var economist: String
        var administrator: String
    }

    /// lena.lind keeps Norra Älvmark's books (DemoFunding); it.admin administers it, added here.
    static func tokens(_ database: Database) async throws -> Tokens {
        _ = try await Users(database).add(code: "it.admin", name: "IT Admin", roles: [RoleGrant(federation: "norralv", role: .admin)],
            by: .operator("test"))
        return Tokens(economist: try await DemoCountyDatabase.token(for: "lena.lind")(database),
            administrator: try await DemoCountyDatabase.token(for: "it.admin")(database))
    }

    /// The status and the JSON object of the answer.
    static func call(_ client: some TestClientProtocol, _ method: HTTPRequest.Method, _ path: String, token: String, _ json: String? = nil)
        async throws -> (status: Int, body: [String: Any])
    {
        var headers: HTTPFields = [.authorization: "Bearer \(token)"]
        if json != nil { headers[.contentType] = "application/json" }
        return try await client.execute(uri: "/api/v1/federations/norralv" + path, method: method, headers: headers,
            body: json.map { ByteBuffer(string: $0) }) { response in
            (Int(response.status.code), (try? JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? [String: Any]) ?? [:])
        }
    }

    @Test func aMunicipalityJoinsInJulyWithItsPopulationAndADecision() async throws {
        try await APITests.withDemoDaemon(setUp: Self.tokens) { client, tokens in
            let token = tokens.economist
            let added = try await Self.call(client, .post, "/members", token: token,
                #"{"code":"nyby","kind":"municipality","name":"Nyby kommun","orgnr":"212000-0142"}"#)
            #expect(added.status == 201)
            #expect(added.body["kind"] as? String == "municipality")
            // The same code again is a conflict.
            #expect(try await Self.call(client, .post, "/members", token: token,
                #"{"code":"nyby","kind":"municipality","name":"Nyby kommun","orgnr":"212000-0142"}"#).status == 409)

            let joined = try await Self.call(client, .patch, "/members/nyby", token: token, #"{"joined":"2026-07","buyerReference":"Anna Ek"}"#)
            #expect(joined.status == 200)
            #expect(joined.body["memberFrom"] as? String == "2026-07-01")
            #expect(joined.body["buyerReference"] as? String == "Anna Ek")
            // A field left out stays; null removes the month.
            let cleared = try await Self.call(client, .patch, "/members/nyby", token: token, #"{"joined":null}"#)
            #expect(cleared.body["memberFrom"] == nil)
            #expect(cleared.body["buyerReference"] as? String == "Anna Ek")
            let nothing = try await Self.call(client, .patch, "/members/nyby", token: token, "{}")
            #expect(nothing.status == 400)
            #expect(nothing.body["type"] as? String == "urn:finsam:problem:request.body-invalid")
            #expect(try await Self.call(client, .patch, "/members/nyby", token: token, #"{"joined":"juli"}"#).status == 400)

            let payout = try await Self.call(client, .put, "/members/nyby/payout-account", token: token, #"{"bankgiro":"5050-1055"}"#)
            #expect(payout.status == 200)
            #expect((payout.body["account"] as? [String: Any])?["number"] as? String == "5050-1055")
            #expect(try await Self.call(client, .put, "/members/nyby/payout-account", token: token, #"{"bankgiro":"5050-1056"}"#).status == 400)
            let removed = try await Self.call(client, .delete, "/members/nyby/payout-account", token: token)
            #expect(removed.status == 200 && removed.body["account"] == nil)

            // By default the figure of 1 November the year before (DOMAIN.md).
            let population = try await Self.call(client, .post, "/population", token: token, #"{"member":"nyby","year":2026,"population":5000}"#)
            #expect(population.status == 200)
            #expect(population.body["referenceDate"] as? String == "2025-11-01")
            #expect(population.body["source"] as? String == "SCB")

            // A fixed 60 000 kr for the half-year: 10 000 a month, six months.
            let decided = try await Self.call(client, .post, "/decisions", token: token,
                #"{"intervention":"samordnare","member":"nyby","halfYear":"2026H2","reference":"2026-06-10 §4","amount":"60000"}"#)
            #expect(decided.status == 201)
            #expect(decided.body["amountKronor"] as? Int == 60_000)
            let months = try #require(decided.body["months"] as? [[String: Any]])
            #expect(months.map { $0["month"] as? Int } == [7, 8, 9, 10, 11, 12])
            #expect(months.allSatisfy { $0["amount"] as? String == "10000.00" })
            // September vacant: 50 000.
            let adjusted = try await Self.call(client, .post, "/decisions/adjustments", token: token,
                #"{"intervention":"samordnare","member":"nyby","halfYear":"2026H2","from":"2026-09","to":"2026-09","vacant":true}"#)
            #expect(adjusted.status == 200)
            #expect(adjusted.body["amountKronor"] as? Int == 50_000)
            // Both ways of funding at once: refused, nothing recorded.
            let both = try await Self.call(client, .post, "/decisions", token: token,
                #"{"intervention":"samordnare","member":"nyby","halfYear":"2026H2","reference":"2026-06-11 §1","amount":"1000","fte":"0.5","rate":"240000"}"#)
            #expect(both.status == 400)
            // The service's rule and code, with the field the API names.
            #expect(both.body["type"] as? String == "urn:finsam:problem:decision.fixed-with-fte")
            let statement = try await Self.call(client, .get, "/decisions/statement?intervention=samordnare&member=nyby&halfYear=2026H2", token: token)
            #expect(statement.body["amountKronor"] as? Int == 50_000)
        }
    }

    @Test func settingsAndRolesAreChangedByThoseWhoMayAndStayAsTheyAreWhereLeftOut() async throws {
        try await APITests.withDemoDaemon(setUp: Self.tokens) { client, tokens in
            let limit = try await Self.call(client, .patch, "/disbursement-settings", token: tokens.administrator, #"{"delegationLimit":"50000"}"#)
            #expect(limit.status == 200)
            #expect(limit.body["delegationLimit"] as? String == "50000.00")
            let iban = limit.body["payerIBAN"] as? String
            #expect(iban == "SE4550000000058398257466")
            let unlimited = try await Self.call(client, .patch, "/disbursement-settings", token: tokens.administrator, #"{"delegationLimit":null}"#)
            #expect(unlimited.body["delegationLimit"] == nil)
            #expect(unlimited.body["payerIBAN"] as? String == iban)
            // Whole kronor only.
            #expect(try await Self.call(client, .patch, "/disbursement-settings", token: tokens.administrator, #"{"delegationLimit":"10.50"}"#).status == 400)

            let terms = try await Self.call(client, .patch, "/invoicing", token: tokens.economist, #"{"dueDays":20}"#)
            #expect(terms.status == 200 && terms.body["dueDays"] as? Int == 20)
            #expect(try await Self.call(client, .get, "/invoicing", token: tokens.economist).body["dueDays"] as? Int == 20)

            // The chart's 3014 (Medlemsbidrag kommuner) set again for the municipalities; 1930 is no revenue account.
            let posting = try await Self.call(client, .put, "/posting-accounts/contributions:municipality", token: tokens.economist, #"{"account":3014}"#)
            #expect(posting.status == 200 && posting.body["account"] as? Int == 3014)
            #expect(try await Self.call(client, .put, "/posting-accounts/contributions:municipality", token: tokens.economist,
                #"{"account":1930}"#).status == 400)
            #expect(try await Self.call(client, .put, "/posting-accounts/kaffe", token: tokens.economist, #"{"account":1930}"#).status == 404)

            // People and roles: the administrator adds one and takes the role away; the economist may do neither.
            func users(_ method: HTTPRequest.Method, _ path: String, token: String, _ json: String? = nil) async throws -> (status: Int, body: [String: Any]) {
                var headers: HTTPFields = [.authorization: "Bearer \(token)"]
                if json != nil { headers[.contentType] = "application/json" }
                return try await client.execute(uri: "/api/v1/users" + path, method: method, headers: headers, body: json.map { ByteBuffer(string: $0) }) {
                    (Int($0.status.code), (try? JSONSerialization.jsonObject(with: Data($0.body.readableBytesView)) as? [String: Any]) ?? [:])
                }
            }
            let person = #"{"code":"nya.chef","name":"Nya Chefen","roles":[{"federation":"norralv","role":"director"}]}"#
            #expect(try await users(.post, "", token: tokens.economist, person).status == 403)
            let added = try await users(.post, "", token: tokens.administrator, person)
            #expect(added.status == 201)
            #expect((added.body["roles"] as? [[String: Any]])?.first?["role"] as? String == "director")
            // A role in a federation the administrator does not administer: refused.
            #expect(try await users(.post, "/nya.chef/roles", token: tokens.administrator,
                #"{"roles":[{"federation":"sodraalv","role":"board"}]}"#).status == 403)
            // Granting a role already held changes nothing and succeeds.
            let again = try await users(.post, "/nya.chef/roles", token: tokens.administrator, #"{"roles":[{"federation":"norralv","role":"director"}]}"#)
            #expect(again.status == 200 && (again.body["roles"] as? [Any])?.count == 1)
            let revoked = try await users(.delete, "/nya.chef/roles/norralv/director", token: tokens.administrator)
            #expect(revoked.status == 200)
            #expect((revoked.body["roles"] as? [Any])?.isEmpty == true)
            #expect(try await users(.delete, "/nya.chef/roles/norralv/director", token: tokens.administrator).status == 404)
            #expect(try await users(.delete, "/nya.chef/roles/norralv/kung", token: tokens.administrator).status == 404)
        }
    }
}
