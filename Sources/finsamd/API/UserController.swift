import FinsamCore
import FinsamService
import Foundation
import Hummingbird

/// The people who use Finsam and their roles per federation (`/api/v1/users`), for those who manage them (the
/// administrator of a federation manages roles in that federation only): the list, one person, adding a person, and
/// granting or revoking a role. Passwords and API tokens are set by the person at the server (`finsam user passwd`,
/// `finsam user token`), never through the API.
struct UserController {
    let users: Users

    func addRoutes(to routes: DocumentedRoutes) {
        routes.get("users", use: list)
        routes.post("users", use: add)
        routes.get("users/{user}", use: show)
        routes.post("users/{user}/roles", use: grant)
        routes.delete("users/{user}/roles/{federation}/{role}", use: revoke)
    }

    struct AddRequest: Decodable {
        var code: String
        var name: String
        var roles: [RoleGrant]?
    }

    struct GrantRequest: Decodable {
        var roles: [RoleGrant]
    }

    @Sendable func list(_ request: Request, context: FinsamRequestContext) async throws -> Response {
        try APIBody.read(try await users.list(by: try context.user()), request: request, csvName: "anvandare", context: context)
    }

    @Sendable func add(_ request: Request, context: FinsamRequestContext) async throws -> Response {
        let body = try await APIBody.decode(AddRequest.self, from: request, context: context)
        let added = try await users.add(code: body.code, name: body.name, roles: body.roles ?? [], by: try context.user())
        return try APIBody.json(added, status: .created, context: context)
    }

    @Sendable func show(_ request: Request, context: FinsamRequestContext) async throws -> Response {
        try APIBody.json(try await users.find(try context.pathCode("user"), by: try context.user()), context: context)
    }

    @Sendable func grant(_ request: Request, context: FinsamRequestContext) async throws -> Response {
        let body = try await APIBody.decode(GrantRequest.self, from: request, context: context)
        guard !body.roles.isEmpty else {
            throw ServiceError(.invalid, "fältet roles: ange minst en roll", code: "request.body-invalid", arguments: ["field": "roles"])
        }
        return try APIBody.json(try await users.grant(body.roles, to: try context.pathCode("user"), by: try context.user()), context: context)
    }

    /// What the person did in the role stays in the books and the audit trail.
    @Sendable func revoke(_ request: Request, context: FinsamRequestContext) async throws -> Response {
        let text = try context.pathCode("role")
        guard let role = Role(rawValue: text) else {
            throw ServiceError(.notFound, "\(text) är ingen roll (\(Role.allCases.map(\.rawValue).joined(separator: ", ")))",
                code: "request.path-invalid", arguments: ["field": "role"])
        }
        let grant = RoleGrant(federation: try context.federation, role: role)
        return try APIBody.json(try await users.revoke([grant], from: try context.pathCode("user"), by: try context.user()), context: context)
    }
}
