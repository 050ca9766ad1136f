import FinsamCore
import FinsamService
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Postgres
import Testing
import TestSupport

@testable import finsamd

/// What the API does for those who run it and for scripts that repeat themselves: idempotency keys, `/metrics`, and
/// bad input answered as a 400 rather than as the database failing. Against the demo county on a real PostgreSQL.
@Suite struct APIOperationsTests {
    static let economistToken = DemoCountyDatabase.token(for: "lena.lind")

    static let voucher = #"{"date":"2026-11-16","series":"A","text":"Porto","lines":[{"account":1930,"amount":"-120.00"},{"account":1510,"amount":"120.00"}]}"#

    static func voucherCount(_ client: some TestClientProtocol, token: String) async throws -> Int {
        try await client.execute(uri: "/api/v1/federations/norralv/vouchers?year=2026&limit=500", method: .get,
            headers: [.authorization: "Bearer \(token)"]) { response in
            let page = try JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? [String: Any]
            return (page?["items"] as? [Any])?.count ?? -1
        }
    }

    @Test func aRepeatedWriteWithTheSameKeyIsDoneOnceAndAnotherBodyIsAConflict() async throws {
        try await APITests.withDemoDaemon(setUp: Self.economistToken) { client, token in
            let before = try await Self.voucherCount(client, token: token)
            func post(_ body: String, key: String) async throws -> (status: HTTPResponse.Status, replayed: Bool, body: String) {
                try await client.execute(uri: "/api/v1/federations/norralv/vouchers", method: .post,
                    headers: [.authorization: "Bearer \(token)", .contentType: "application/json", IdempotencyMiddleware.header: key],
                    body: ByteBuffer(string: body)) { response in
                    (response.status, response.headers[HTTPField.Name("Idempotent-Replayed")!] == "true", String(buffer: response.body))
                }
            }
            let first = try await post(Self.voucher, key: "porto-2026-11-16")
            #expect(first.status == .created && !first.replayed)
            let again = try await post(Self.voucher, key: "porto-2026-11-16")
            #expect(again.status == .created && again.replayed)
            #expect(again.body == first.body)
            // One voucher more, not two.
            #expect(try await Self.voucherCount(client, token: token) == before + 1)
            // The same key with another amount: 409, nothing posted.
            let other = try await post(Self.voucher.replacingOccurrences(of: "120.00", with: "130.00"), key: "porto-2026-11-16")
            #expect(other.status == .conflict)
            #expect(other.body.contains("request.idempotency-key-reused"))
            #expect(try await Self.voucherCount(client, token: token) == before + 1)
            // A refusal is kept too: the same bad request with its key is answered the same, and a new key is a new request.
            let unbalanced = Self.voucher.replacingOccurrences(of: "-120.00", with: "-100.00")
            let refused = try await post(unbalanced, key: "fel-1")
            #expect(refused.status == .badRequest)
            #expect(try await post(unbalanced, key: "fel-1").replayed)
        }
    }

    @Test func metricsCountRequestsByRouteAndStatusAndShowThePool() async throws {
        try await APITests.withDemoDaemon(setUp: Self.economistToken) { client, token in
            for _ in 0..<3 {
                try await client.execute(uri: "/api/v1/federations/norralv/disbursements", method: .get, headers: [.authorization: "Bearer \(token)"]) {
                    #expect($0.status == .ok)
                }
            }
            try await client.execute(uri: "/api/v1/federations/sodraalv/disbursements", method: .get, headers: [.authorization: "Bearer \(token)"]) {
                #expect($0.status == .ok)
            }
            try await client.execute(uri: "/api/v1/federations/norralv/reports/income-statement?year=x", method: .get,
                headers: [.authorization: "Bearer \(token)"]) { #expect($0.status == .badRequest) }
            let text = try await client.execute(uri: "/metrics", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType]?.hasPrefix("text/plain; version=0.0.4") == true)
                return String(buffer: response.body)
            }
            let route = #"route="/api/v1/federations/{federation}/disbursements""#
            // Four answered by the pattern, whichever federation: the count carries no federation's name.
            #expect(text.contains(#"finsamd_http_requests_total{\#(route),method="GET",status="200"} 4"#))
            #expect(text.contains(#"finsamd_http_requests_total{route="/api/v1/federations/{federation}/reports/income-statement",method="GET",status="400"} 1"#))
            #expect(text.contains(#"finsamd_http_request_duration_seconds_count{\#(route),method="GET"} 4"#))
            #expect(text.contains(#"finsamd_http_request_duration_seconds_bucket{\#(route),method="GET",le="10.0"} 4"#))
            #expect(text.contains(#"finsamd_database_pool_maximum_connections{pool="requests"} 4"#))
            #expect(text.contains(#"finsamd_database_pool_waiting_requests{pool="requests"} 0"#))
            #expect(!text.contains("norralv") && !text.contains("sodraalv"))
        }
    }

    @Test func valuesTheDatabaseCannotHoldAreBadInputNotAnOutage() async throws {
        try await APITests.withDemoDaemon(setUp: Self.economistToken) { client, token in
            // A NUL character in the user code of a sign-in.
            try await client.execute(uri: "/api/v1/session", method: .post, headers: [.contentType: "application/json"],
                body: ByteBuffer(string: #"{"user":"lena\u0000lind","password":"demo"}"#)) { response in
                #expect(response.status == .badRequest)
            }
            // A disbursement number beyond what the table's integer holds.
            try await client.execute(uri: "/api/v1/federations/norralv/disbursements/submit", method: .post,
                headers: [.authorization: "Bearer \(token)", .contentType: "application/json"],
                body: ByteBuffer(string: #"{"numbers":[4294967296]}"#)) { response in
                #expect(response.status == .badRequest)
                #expect(String(buffer: response.body).contains(#""field":"numbers""#))
            }
            try await client.execute(uri: "/api/v1/federations/norralv/disbursements/4294967296", method: .get,
                headers: [.authorization: "Bearer \(token)"]) { #expect($0.status == .notFound) }
        }
    }
}
