import FinsamCore
import FinsamService
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Postgres
import Testing
import TestSupport

@testable import finsamd

/// The API against the demo county on a real PostgreSQL, as a browser and a script use it: sign-in with the demo's
/// password, the director's queue, approving (with and without the CSRF token), the income statement as JSON and CSV,
/// another federation's data refused, sign-out. Expected values come from DemoFunding and DOMAIN.md, not from the
/// routes.
@Suite struct APITests {
    static func withDemoDaemon(_ body: @Sendable @escaping (any TestClientProtocol) async throws -> Void) async throws {
        try await withDemoDaemon(setUp: { _ in }) { client, _ in try await body(client) }
    }

    /// The demo county on a fresh database, `setUp` run by the operator (users, tokens …), then the daemon as deployed.
    static func withDemoDaemon<Prepared: Sendable>(
        setUp: @Sendable @escaping (Database) async throws -> Prepared,
        _ body: @Sendable @escaping (any TestClientProtocol, Prepared) async throws -> Void
    ) async throws {
        try await TestDatabase.withDatabase { configuration in
            let prepared = try await DemoCountyDatabase.prepare(configuration, setUp: setUp)
            // The daemon's requests log in as the application role, as deployed.
            let pool = ConnectionPool(configuration: configuration.setting("user", "finsam_app"), options: .init(maximumConnections: 4))
            let settings = DaemonConfiguration(host: "127.0.0.1", port: 0, poolSize: 4, logLevel: .warning, database: configuration,
                nightlyDatabase: configuration.setting("user", "finsam_nightly"))
            let app = buildApplication(settings: settings, pool: pool, logger: Logger(label: "test"))
            try await app.test(.router) { client in try await body(client, prepared) }
            await pool.close()
        }
    }

    struct SignedInClient {
        var cookie: String
        var csrf: String
    }

    static func signIn(_ client: some TestClientProtocol, _ user: String, password: String = "demo") async throws -> SignedInClient {
        try await client.execute(uri: "/api/v1/session", method: .post, headers: [.contentType: "application/json"],
            body: ByteBuffer(string: #"{"user":"\#(user)","password":"\#(password)"}"#)) { response in
            #expect(response.status == .ok)
            let cookie = try #require(response.headers[.setCookie])
            #expect(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict") && cookie.contains("Max-Age="))
            let state = try JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? [String: Any]
            return SignedInClient(cookie: String(cookie.split(separator: ";")[0]), csrf: try #require(state?["csrfToken"] as? String))
        }
    }

    @Test func aDirectorSignsInSeesTheQueueAndApprovesWithTheCSRFToken() async throws {
        try await Self.withDemoDaemon { client in
            // Wrong password: 401 problem details, nothing set.
            try await client.execute(uri: "/api/v1/session", method: .post, headers: [.contentType: "application/json"],
                body: ByteBuffer(string: #"{"user":"anna.dahl","password":"fel"}"#)) { response in
                #expect(response.status == .unauthorized)
                #expect(response.headers[.contentType] == "application/problem+json")
                #expect(response.headers[.setCookie] == nil)
            }
            let anna = try await Self.signIn(client, "anna.dahl")
            // The queue: Norra Älvmark's submitted disbursements (DemoFunding submits 9, above the 250 000 kr limit).
            try await client.execute(uri: "/api/v1/federations/norralv/disbursements?state=submitted", method: .get,
                headers: [.cookie: anna.cookie]) { response in
                #expect(response.status == .ok)
                let page = try JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? [String: Any]
                let items = try #require(page?["items"] as? [[String: Any]])
                #expect(items.allSatisfy { $0["state"] as? String == "submitted" })
                #expect(items.contains { $0["number"] as? Int == 9 })
            }
            // Another federation (Södra Älvmark, no role there): 403, naming the role.
            try await client.execute(uri: "/api/v1/federations/sodraalv/disbursements", method: .get, headers: [.cookie: anna.cookie]) { response in
                #expect(response.status == .forbidden)
            }
            // A write by cookie without the CSRF token is refused before anything happens.
            try await client.execute(uri: "/api/v1/federations/norralv/disbursements/9/approve", method: .post,
                headers: [.cookie: anna.cookie]) { response in
                #expect(response.status == .forbidden)
                #expect(String(buffer: response.body).contains("urn:finsam:problem:csrf.missing"))
            }
            // Without a session: 401.
            try await client.execute(uri: "/api/v1/federations/norralv/disbursements", method: .get) { response in
                #expect(response.status == .unauthorized)
            }
            // Signed out: the same cookie no longer acts.
            try await client.execute(uri: "/api/v1/session", method: .delete, headers: [.cookie: anna.cookie, SignedInMiddleware.csrfHeader: anna.csrf]) { response in
                #expect(response.status == .noContent)
            }
            try await client.execute(uri: "/api/v1/federations/norralv/disbursements", method: .get, headers: [.cookie: anna.cookie]) { response in
                #expect(response.status == .unauthorized)
            }
        }
    }

    @Test func theIncomeStatementComesAsJSONAndCSVAndBadParametersAre400() async throws {
        try await Self.withDemoDaemon { client in
            let siv = try await Self.signIn(client, "siv.berg")   // a board member of Norra Älvmark
            try await client.execute(uri: "/api/v1/federations/norralv/reports/income-statement?year=2026&to=2026-10-31&format=csv",
                method: .get, headers: [.cookie: siv.cookie]) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType]?.hasPrefix("text/csv") == true)
                #expect(String(buffer: response.body).hasPrefix("section,row,previous_year,budget,actual,forecast\n"))
            }
            try await client.execute(uri: "/api/v1/federations/norralv/reports/income-statement?year=x", method: .get,
                headers: [.cookie: siv.cookie]) { response in
                #expect(response.status == .badRequest)
                #expect(String(buffer: response.body).contains(#""field":"year""#))
            }
            // The board reads; it cannot approve (even with the token).
            try await client.execute(uri: "/api/v1/federations/norralv/disbursements/9/approve", method: .post,
                headers: [.cookie: siv.cookie, SignedInMiddleware.csrfHeader: siv.csrf]) { response in
                #expect(response.status == .forbidden)
            }
        }
    }

    /// Every route the daemon registers under /api/v1 is in its OpenAPI document, and every operation the document
    /// lists is a route (the document is written by hand: this holds the two together).
    @Test func everyRouteIsDocumentedAndEveryDocumentedOperationIsARoute() async throws {
        let router = Router(context: FinsamRequestContext.self)
        let routes = DocumentedRoutes(router)
        // Registering connects to nothing: the pool is never used.
        let pool = ConnectionPool(configuration: ConnectionConfiguration("host=/nonexistent"), options: .init(minimumConnections: 0, maximumConnections: 1))
        let database = Database(pool: pool)
        addAPIRoutes(to: routes, database: database, secureCookies: false)
        let document = try #require(try JSONSerialization.jsonObject(with: Data(OpenAPIDocument.bytes)) as? [String: Any])
        #expect(document["openapi"] as? String == "3.1.0")
        let paths = try #require(document["paths"] as? [String: [String: Any]])
        var documented: Set<String> = []
        for (path, operations) in paths {
            for method in operations.keys where ["get", "post", "put", "patch", "delete"].contains(method) {
                documented.insert("\(method.uppercased()) \(path)")
            }
        }
        #expect(Set(routes.operations) == documented)
        // Counted by hand in the document: 3 for the session, 79 under /federations and /users.
        #expect(routes.operations.count == 82)
        await pool.close()
    }
}
