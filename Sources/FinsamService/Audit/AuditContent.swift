import Crypto
public import Foundation

/// What one audit record's hash covers: who did what, when, in which federation, and a digest of the subjects
/// (the rows written). Stored as canonical JSON (sorted keys, no white space); the record's hash is SHA-256 over the
/// previous record's hash followed by this text, so that changing, removing or inserting a record breaks the chain.
public struct AuditContent: Codable, Sendable, Equatable {
    /// The federation's id; 0 for what belongs to no federation (a user as such).
    public var chain: Int64
    /// The federation's code (nil for chain 0).
    public var federation: String?
    public var sequence: Int64
    /// UTC with microseconds: `2026-12-02T10:11:12.123456Z`.
    public var at: String
    /// The user code, `operator:<login>` or `system`.
    public var actor: String
    /// The use case's stable name (`voucher.post`).
    public var useCase: String
    /// The command or request the work belonged to.
    public var request: String?
    public var subjectCount: Int
    /// SHA-256 (hex) over the subject lines (`AuditSubject.line`), sorted, one per line.
    public var subjects: String

    /// The text the hash covers.
    public func canonicalText() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }

    public init(parsing text: String) throws {
        self = try JSONDecoder().decode(AuditContent.self, from: Data(text.utf8))
    }

    public init(
        chain: Int64, federation: String?, sequence: Int64, at: String, actor: String, useCase: String, request: String?,
        subjectCount: Int, subjects: String
    ) {
        self.chain = chain
        self.federation = federation
        self.sequence = sequence
        self.at = at
        self.actor = actor
        self.useCase = useCase
        self.request = request
        self.subjectCount = subjectCount
        self.subjects = subjects
    }
}

/// One row (or one voucher's or invoice's lines) an audit record names, with the digest of its rows afterwards (an
/// empty set when it was deleted), and for settings and roles the row before and after, as JSON.
public struct AuditSubject: Sendable, Equatable, Codable {
    public var table: String
    /// The key columns' values as JSON: `{"voucher_id": 12, "federation_id": 1}`.
    public var key: String
    public var digest: String
    public var before: String?
    public var after: String?

    /// What the record's subject digest covers: the fields, tab-separated, an absent value empty.
    var line: String {
        [table, key, digest, before ?? "", after ?? ""].joined(separator: "\t")
    }
}

/// The chain's arithmetic: SHA-256 from swift-crypto.
public enum AuditHash {
    /// What the first record of a chain follows.
    public static let genesis = Data(repeating: 0, count: 32)

    /// The record's hash: SHA-256 over the previous record's hash and the record's canonical content.
    public static func record(previous: Data, content: String) -> Data {
        var hasher = SHA256()
        hasher.update(data: previous)
        hasher.update(data: Data(content.utf8))
        return Data(hasher.finalize())
    }

    /// The digest of a record's subjects: SHA-256 (hex) over their lines, sorted by their UTF-8 bytes, one per line.
    public static func subjects(_ subjects: [AuditSubject]) -> String {
        let lines = subjects.map(\.line).sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        return hex(Data(SHA256.hash(data: Data(lines.joined(separator: "\n").utf8))))
    }

    public static func hex(_ data: Data) -> String {
        data.map { String(format: "%02x", $0) }.joined()
    }
}
