import FinsamService
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

@testable import finsamd

/// Service errors as the API answers them (RFC 9457): the status of each kind as issue 16 names it (written here by
/// hand, not taken from the code), the stable code as `type`, the Swedish message as `title`, the arguments, and
/// never the underlying database error.
@Suite struct ProblemDetailsTests {
    static let cases: [(ServiceError, Int)] = [
        (ServiceError(.invalid, "beloppet är för stort", code: "amount.beyond-limit", arguments: ["field": "amount"]), 400),
        (ServiceError(.forbidden, "dan får inte bokföra verifikationer i norrdalen: det kräver rollen ekonom",
            code: "rights.role-missing", arguments: ["federation": "norrdalen"]), 403),
        (ServiceError(.notFound, "förbundet \"x\" finns inte", code: "federation.not-found", arguments: ["federation": "x"]), 404),
        (ServiceError(.conflict, "utbetalning 9 har redan attesterats", code: "disbursement.state"), 409),
        (ServiceError(.unavailable, "databasen svarar inte", code: "database.57P01", underlying: "FATAL: terminating connection"), 503),
    ]

    @Test func eachKindHasItsStatusAndItsCodeIsTheType() async throws {
        let router = Router()
        router.middlewares.add(ProblemDetailsMiddleware())
        for (index, (error, _)) in Self.cases.enumerated() {
            router.get("fail/\(index)") { _, _ -> String in throw error }
        }
        let app = Application(router: router)
        try await app.test(.router) { client in
            for (index, (error, status)) in Self.cases.enumerated() {
                try await client.execute(uri: "/fail/\(index)", method: .get) { response in
                    #expect(Int(response.status.code) == status, "\(error.code)")
                    #expect(response.headers[.contentType] == "application/problem+json")
                    #expect(response.headers[.retryAfter] == (status == 503 ? "5" : nil))
                    let body = String(buffer: response.body)
                    let problem = try JSONDecoder().decode(ProblemDetails.self, from: Data(body.utf8))
                    #expect(problem.type == "urn:finsam:problem:\(error.code)")
                    #expect(problem.title == error.message)
                    #expect(problem.status == status)
                    #expect(problem.instance == "/fail/\(index)")
                    #expect(problem.arguments == (error.arguments.isEmpty ? nil : error.arguments))
                    #expect(!body.contains("FATAL"), "the underlying error reached the client: \(body)")
                }
            }
        }
    }
}
