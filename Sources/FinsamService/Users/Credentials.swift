public import FinsamCore
public import Foundation
import Postgres

/// An API token as it is listed: never its secret, which is shown once when it is made.
public struct APIToken: Sendable, Codable, Equatable {
    public var id: Int64
    public var user: String
    public var name: String
    public var createdAt: Date
    public var createdBy: String
    public var expiresAt: Date?
    public var revokedAt: Date?
    public var revokedBy: String?

    /// Whether the token still acts for its user at `moment`.
    public func isLive(at moment: Date) -> Bool {
        revokedAt == nil && (expiresAt.map { $0 > moment } ?? true)
    }
}

/// A token just made, with its secret: the only time anyone sees it.
public struct CreatedToken: Sendable, Equatable {
    public var token: APIToken
    public var secret: String
}

/// Passwords and API tokens (schema/021): the operator's alone (`credential.manage`). The database makes and keeps
/// them: a bcrypt hash of each password (pgcrypto, cost 11), the SHA-256 of each token's secret.
public struct Credentials: Sendable {
    let database: Database

    public init(_ database: Database) { self.database = database }

    /// Sets `code`'s password and ends their sessions. The password must meet `PasswordPolicy`.
    public func setPassword(_ password: String, for code: String, by user: User) async throws {
        if let problem = PasswordPolicy.problem(with: password, for: code) {
            throw ServiceError(.invalid, problem, code: "password.weak", arguments: ["user": code])
        }
        try await database.write(user, .credentialManage) { c in
            try await Self.storePassword(c, password, for: code, by: user.name)
        }
    }

    /// Stores a password without the policy: the demo's users get `demo`.
    static func storePassword(_ c: isolated Connection, _ password: String, for code: String, by name: String) async throws {
        guard try await c.query("SELECT finsam_set_password($1, $2, $3)", [code, password, name]).scalar(Bool.self) else {
            throw ServiceError(.notFound, "användaren \"\(code)\" finns inte", code: "user.not-found", arguments: ["user": code])
        }
    }

    /// Makes a token named `name` for `code`, valid until the end of `expires` (Swedish time) or until revoked.
    public func createToken(for code: String, name: String, expires: CalendarDate?, by user: User) async throws -> CreatedToken {
        guard name.range(of: "^[a-z0-9][a-z0-9._-]{0,59}$", options: .regularExpression) != nil else {
            throw ServiceError(.invalid, "nyckelns namn \"\(name)\" ska vara 1–60 tecken: a–z, 0–9, punkt, bindestreck, understreck",
                code: "token.name-invalid", arguments: ["name": name])
        }
        return try await database.write(user, .credentialManage) { c in
            guard try await c.query("SELECT 1 FROM app_user WHERE user_code = $1", [code]).rows.first != nil else {
                throw ServiceError(.notFound, "användaren \"\(code)\" finns inte", code: "user.not-found", arguments: ["user": code])
            }
            let made = try await c.query(
                """
                SELECT token_id, secret FROM finsam_token_create($1, $2,
                    CASE WHEN $3::date IS NULL THEN NULL ELSE (($3::date + 1)::timestamp AT TIME ZONE 'Europe/Stockholm') END, $4)
                """, [code, name, expires.map { PostgresDate($0) }, user.name]
            ).rows.first!
            let id = try made.decode(Int64.self, "token_id")
            guard let token = try await Self.tokens(c, of: code).first(where: { $0.id == id }) else {
                throw ServiceError(.unavailable, "den nya nyckeln gick inte att läsa")
            }
            return CreatedToken(token: token, secret: try made.decode(String.self, "secret"))
        }
    }

    /// The tokens of `code`, or of every user (nil), revoked ones too.
    public func tokens(of code: String?, by user: User) async throws -> [APIToken] {
        try await database.read(user, .credentialManage) { c in try await Self.tokens(c, of: code) }
    }

    /// Revokes `code`'s live token named `name`: it stops working at once.
    public func revokeToken(named name: String, of code: String, by user: User) async throws {
        try await database.write(user, .credentialManage) { c in
            guard try await c.query("SELECT finsam_token_revoke($1, $2, $3)", [code, name, user.name]).scalar(Bool.self) else {
                throw ServiceError(.notFound, "\(code) har ingen giltig nyckel som heter \"\(name)\"", code: "token.not-found",
                    arguments: ["user": code, "name": name])
            }
        }
    }

    static func tokens(_ c: isolated Connection, of code: String?) async throws -> [APIToken] {
        try await c.query(
            "SELECT token_id, user_code, name, created_at, created_by, expires_at, revoked_at, revoked_by FROM finsam_token_list($1)",
            [code]
        ).rows.map { row in
            APIToken(
                id: try row.decode(Int64.self, "token_id"), user: try row.decode(String.self, "user_code"),
                name: try row.decode(String.self, "name"), createdAt: try row.decode(Date.self, "created_at"),
                createdBy: try row.decode(String.self, "created_by"), expiresAt: try row.decode(Date?.self, "expires_at"),
                revokedAt: try row.decode(Date?.self, "revoked_at"), revokedBy: try row.decode(String?.self, "revoked_by"))
        }
    }
}
