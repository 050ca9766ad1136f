public import FinsamCore
import Postgres

/// One role in one federation (`norralv:director`).
public struct RoleGrant: Sendable, Codable, Equatable, Hashable, CustomStringConvertible {
    public var federation: String
    public var role: Role

    public init(federation: String, role: Role) {
        self.federation = federation
        self.role = role
    }

    /// `norralv:director`.
    public init?(parsing text: String) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, let role = Role(rawValue: String(parts[1])) else { return nil }
        self.init(federation: String(parts[0]), role: role)
    }

    public var description: String { "\(federation):\(role.rawValue)" }
}

public struct AppUser: Sendable, Codable, Equatable {
    public var code: String
    public var name: String
    public var roles: [RoleGrant]
}

public struct Users: Sendable {
    let database: Database

    public init(_ database: Database) { self.database = database }

    /// Adds a person with their roles, in one transaction.
    public func add(code: String, name: String, roles: [RoleGrant], by user: User) async throws -> AppUser {
        try PlainText.require(name, "namnet", limit: PlainText.nameLimit)
        return try await database.write(user, .userManage, inEach: roles.map(\.federation)) { c in try await UserStore.addUser(c, code: code, name: name, roles: roles, by: user) }
    }

    /// Gives an existing user more roles.
    public func grant(_ roles: [RoleGrant], to code: String, by user: User) async throws -> AppUser {
        try await database.write(user, .userManage, inEach: roles.map(\.federation)) { c in
            _ = try await UserStore.appUser(c, code)
            try await UserStore.grant(c, roles, to: code, by: user.name)
            return try await UserStore.appUser(c, code)
        }
    }

    /// Takes roles away. What the user did with them stays recorded.
    public func revoke(_ roles: [RoleGrant], from code: String, by user: User) async throws -> AppUser {
        try await database.write(user, .userManage, inEach: roles.map(\.federation)) { c in
            let found = try await UserStore.appUser(c, code)
            for grant in roles {
                guard found.roles.contains(grant) else {
                    throw ServiceError.notFound("\(found.name) har inte rollen \(grant.role.swedishName) i \(grant.federation)")
                }
                try await c.query(
                    """
                    DELETE FROM user_role_grant g USING federation f
                    WHERE f.federation_id = g.federation_id AND f.code = $1 AND g.user_code = $2 AND g.role = $3::user_role
                    """, [grant.federation, code, grant.role.rawValue])
            }
            return try await UserStore.appUser(c, code)
        }
    }

    public func list(by user: User) async throws -> [AppUser] {
        try await database.read(user, .userManage) { c in
            try await UserStore.appUsers(c)
        }
    }

    public func find(_ code: String, by user: User) async throws -> AppUser {
        try await database.read(user, .userManage) { c in try await UserStore.appUser(c, code) }
    }
}

/// The SQL of users and their roles per federation.
enum UserStore {
    static func appUser(_ c: isolated Connection, _ code: String) async throws -> AppUser {
        guard let found = try await UserStore.appUsers(c, [code]).first else {
            throw ServiceError(.notFound, "användaren \"\(code)\" finns inte", code: "user.not-found", arguments: ["user": code])
        }
        return found
    }

    /// Users with their roles (all users when `codes` is nil), in two queries.
    static func appUsers(_ c: isolated Connection, _ codes: [String]? = nil) async throws -> [AppUser] {
        var roles: [String: [RoleGrant]] = [:]
        for row in try await c.query(
            """
            SELECT g.user_code, f.code, g.role::text FROM user_role_grant g JOIN federation f USING (federation_id)
            WHERE $1::text[] IS NULL OR g.user_code = ANY($1) ORDER BY g.user_code, f.code, g.role
            """, [codes]
        ).rows {
            let text = try row.decode(String.self, at: 2)
            guard let role = Role(rawValue: text) else { throw ServiceError(.unavailable, "okänd roll \"\(text)\" i databasen") }
            roles[try row.decode(String.self, at: 0), default: []].append(RoleGrant(federation: try row.decode(String.self, at: 1), role: role))
        }
        return try await c.query(
            "SELECT user_code, name FROM app_user WHERE $1::text[] IS NULL OR user_code = ANY($1) ORDER BY user_code", [codes]
        ).rows.map { row in
            let code = try row.decode(String.self, "user_code")
            return AppUser(code: code, name: try row.decode(String.self, "name"), roles: roles[code] ?? [])
        }
    }

    static func grant(_ c: isolated Connection, _ roles: [RoleGrant], to code: String, by grantor: String) async throws {
        for grant in roles {
            let federationID = try await FederationStore.federationID(c, grant.federation)
            try await c.query(
                """
                INSERT INTO user_role_grant (federation_id, user_code, role, granted_by) VALUES ($1, $2, $3::user_role, $4)
                ON CONFLICT DO NOTHING
                """, [federationID, code, grant.role.rawValue, grantor])
        }
    }

    /// The roles `user` holds in the federation, once the rights table has allowed `useCase` there (the use case's
    /// transaction checked it already; the approval flow needs the roles themselves). The operator and the nightly
    /// job hold no role.
    @discardableResult
    static func requireRight(_ c: isolated Connection,
        _ user: User, _ useCase: UseCase, federationID: Int64, federation: String
    ) async throws -> Set<Role> {
        guard case .user(let code) = user.kind else {
            try Actor(kind: user.kind).require(useCase, inEach: [federation])
            return []
        }
        let roles = Set(try await c.query(
            "SELECT role::text FROM user_role_grant WHERE federation_id = $1 AND user_code = $2", [federationID, code]
        ).rows.compactMap { Role(rawValue: try $0.decode(String.self, at: 0)) })
        try Actor(kind: user.kind, roles: [federation: roles]).require(useCase, inEach: [federation])
        return roles
    }

    static func addUser(_ c: isolated Connection, code: String, name: String, roles: [RoleGrant], by user: User) async throws -> AppUser {
        try await c.query("INSERT INTO app_user (user_code, name) VALUES ($1, $2)", [code, name])
        try await UserStore.grant(c, roles, to: code, by: user.name)
        return try await UserStore.appUser(c, code)
    }
}
