import Crypto
public import FinsamCore
public import Foundation
import Postgres

/// What signing in gave: a session, a refusal, or a wait.
public enum SignInOutcome: Sendable, Equatable {
    /// The session's secret (what the cookie carries) and when it expires.
    case signedIn(secret: String, expires: Date)
    /// Wrong user or password: the same answer for both, so that it tells nothing about which users exist.
    case refused
    /// Too many failures lately for this user or from this address: try again after so many seconds.
    case throttled(retryAfter: Int)
}

/// Whom a secret belongs to: the code every use case acts for, and the name a page shows.
public struct SignedInPerson: Sendable, Equatable {
    public var code: String
    public var name: String

    public init(code: String, name: String) {
        self.code = code
        self.name = name
    }
}

/// Signing in and out of the daemon with a password, and knowing whom a session or API token belongs to
/// (schema/021). The database does all of it: it checks the password (bcrypt, pgcrypto), keeps only the SHA-256 of
/// each secret, slows repeated failures per user and per address, and is the only one that grants a transaction
/// the scope of whoever presents a secret. Nobody acts yet while signing in; these are the database's own functions.
public struct Sessions: Sendable {
    let database: Database

    public init(_ database: Database) { self.database = database }

    /// How long a session lasts unless the daemon is told otherwise: a working day.
    public static let defaultLifetime = 8 * 3600

    /// Signs `user` in with `password`, from `address` (the client's IP address, for slowing guesses).
    public func signIn(user: String, password: String, address: String?, lifetimeSeconds: Int = defaultLifetime) async throws -> SignInOutcome {
        try await database.anonymous { c in
            let row = try await c.query(
                """
                SELECT outcome, secret, expires_at, retry_after
                FROM finsam_sign_in($1, $2, $3::inet, make_interval(secs => $4))
                """, [user, password, address.flatMap(Self.ipAddress), lifetimeSeconds]
            ).rows.first
            switch try row?.decode(String.self, "outcome") {
            case "signed-in":
                return .signedIn(secret: try row!.decode(String.self, "secret"), expires: try row!.decode(Date.self, "expires_at"))
            case "throttled":
                return .throttled(retryAfter: max(1, Int(try row!.decode(Int32.self, "retry_after"))))
            default:
                return .refused
            }
        }
    }

    /// Ends the session whose secret this is. False: it was not a live session.
    public func signOut(_ secret: String) async throws -> Bool {
        try await database.anonymous { c in
            try await c.query("SELECT finsam_sign_out($1)", [secret]).scalar(Bool.self)
        }
    }

    /// The person a live session's or API token's secret belongs to (their code and name), or nil (unknown,
    /// expired, signed out, revoked). Every use case checks the secret again in its own transaction; this only says
    /// whom to act for, and how pages name them.
    public func identify(_ secret: String) async throws -> SignedInPerson? {
        guard Self.looksLikeSecret(secret) else { return nil }
        return try await database.anonymous { c in
            guard let row = try await c.query(
                """
                SELECT c.user_code, u.name FROM finsam_act_as_credential($1, true) c JOIN app_user u ON u.user_code = c.user_code LIMIT 1
                """, [secret]).rows.first
            else { return nil }
            return SignedInPerson(code: try row.decode(String.self, "user_code"), name: try row.decode(String.self, "name"))
        }
    }

    /// The roles of the signed-in `user` (checked by the database, as every use case checks them).
    public func roles(of user: User) async throws -> [RoleGrant] {
        let actor = try await database.actor(user)
        return actor.roles.sorted { $0.key < $1.key }.flatMap { federation, roles in
            Role.allCases.filter(roles.contains).map { RoleGrant(federation: federation, role: $0) }
        }
    }

    /// The roles of the signed-in `user` in one federation (none when they hold none there).
    public func roles(of user: User, in federation: String) async throws -> Set<Role> {
        try await database.actor(user).roles[federation] ?? []
    }

    /// The token a browser's writes send back with the session's cookie (`X-CSRF-Token`, and a hidden field in the
    /// pages' forms): derived from the session's secret, so that a page of another site, which can make the browser
    /// send the cookie but cannot read it, cannot know it either.
    public static func csrfToken(for secret: String) -> String {
        SHA256.hash(data: Data(("finsam-csrf\n" + secret).utf8)).map { String(format: "%02x", $0) }.joined()
    }

    /// Whether `text` has the shape of a secret the database makes: `fss_` (a session) or `fst_` (an API token) and
    /// 64 hexadecimal digits. Anything else is refused without asking the database.
    public static func looksLikeSecret(_ text: String) -> Bool {
        let utf8 = Array(text.utf8)
        guard utf8.count == 68, text.hasPrefix("fss_") || text.hasPrefix("fst_") else { return false }
        return utf8.dropFirst(4).allSatisfy { (48...57).contains($0) || (97...102).contains($0) }
    }

    /// The address as PostgreSQL's inet reads it, or nil for anything that is not an IP address.
    static func ipAddress(_ text: String) -> String? {
        var v4 = in_addr(), v6 = in6_addr()
        if inet_pton(AF_INET, text, &v4) == 1 || inet_pton(AF_INET6, text, &v6) == 1 { return text }
        return nil
    }
}
