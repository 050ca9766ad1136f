public import Foundation
import Crypto
import Postgres

/// What became of an earlier request with the same idempotency key.
public enum IdempotentClaim: Sendable, Equatable {
    /// The key is claimed for this request: do it, then `finish`.
    case new
    /// The same request was answered before: answer it again, unchanged.
    case replay(status: Int, contentType: String?, body: Data)
    /// The same request is still running (or never finished).
    case inProgress
    /// The key was used for another request.
    case mismatch
}

/// Idempotency keys (`Idempotency-Key`) of a signed-in person's writes, kept by the database for 24 hours
/// (schema/022): a repeat of the same request gets the first answer; the same key with another request is a
/// conflict. Which person is found from their secret, in the database, so that one cannot touch another's keys.
public struct IdempotentRequests: Sendable {
    let database: Database

    public init(_ database: Database) { self.database = database }

    /// The fingerprint of a request: its method, path with query, and body.
    public static func fingerprint(method: String, target: String, body: some Sequence<UInt8>) -> Data {
        var hash = SHA256()
        hash.update(data: Data("\(method) \(target)\n".utf8))
        hash.update(data: Data(body))
        return Data(hash.finalize())
    }

    /// Claims `key` for the request, or tells what became of the request that claimed it.
    public func begin(key: String, fingerprint: Data, secret: String) async throws -> IdempotentClaim {
        try Self.check(key)
        return try await database.anonymous { c in
            guard let row = try await c.query(
                "SELECT outcome, status, content_type, body FROM finsam_idempotency_begin($1, $2, $3)", [secret, key, fingerprint]
            ).rows.first else { return .inProgress }
            switch try row.decode(String.self, "outcome") {
            case "new": return .new
            case "replay":
                return .replay(status: Int(try row.decode(Int32.self, "status")), contentType: try row.decode(String?.self, "content_type"),
                    body: try row.decode(Data.self, "body"))
            case "mismatch": return .mismatch
            case "in-progress": return .inProgress
            default: throw ServiceError(.unauthenticated, "inloggningen gäller inte längre: logga in igen", code: "session.invalid")
            }
        }
    }

    /// Records the answer to a claimed key; nil gives the key up (the request failed in a way worth trying again).
    public func finish(key: String, secret: String, status: Int?, contentType: String?, body: Data?) async throws {
        try await database.anonymous { c in
            _ = try await c.query("SELECT finsam_idempotency_finish($1, $2, $3, $4, $5)",
                [secret, key, status.map { Int32($0) }, contentType, status == nil ? nil : body ?? Data()])
        }
    }

    /// A key is 1–200 printable ASCII characters (a UUID, typically).
    static func check(_ key: String) throws {
        guard (1...200).contains(key.utf8.count), key.utf8.allSatisfy({ (0x21...0x7E).contains($0) }) else {
            throw ServiceError(.invalid, "Idempotency-Key ska vara 1–200 synliga ASCII-tecken", code: "request.idempotency-key-invalid",
                arguments: ["field": "Idempotency-Key"])
        }
    }
}
