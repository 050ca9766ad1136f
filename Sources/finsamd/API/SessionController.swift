import FinsamCore
import FinsamService
import Foundation
import HTTPTypes
import Logging
import Hummingbird

/// Signing in and out (`/api/v1/session`): a password gives a session, kept in a cookie that scripts cannot read
/// (HttpOnly), that no other site's page sends (SameSite=Strict), Secure behind TLS, and that ends at its expiry or
/// at sign-out (the database ends it: the secret stops acting at once). The answer carries the CSRF token the
/// browser's writes must send back.
struct SessionController {
    let sessions: Sessions
    /// Whether cookies are marked Secure regardless of how the request came (FINSAM_SECURE_COOKIES=on).
    let secureCookies: Bool
    let lifetimeSeconds: Int

    struct SignInRequest: Decodable {
        var user: String
        var password: String
    }

    struct SessionState: Codable, Equatable {
        var user: String
        var roles: [RoleGrant]
        var expires: Date?
        var csrfToken: String?
    }

    func addRoutes(to api: DocumentedRoutes) {
        api.post("session", use: signIn)
        api.get("session", use: show)
        api.delete("session", use: signOut)
    }

    @Sendable func signIn(_ request: Request, context: FinsamRequestContext) async throws -> Response {
        let body = try await APIBody.decode(SignInRequest.self, from: request, context: context)
        switch try await sessions.signIn(user: body.user, password: body.password, address: context.remoteAddress, lifetimeSeconds: lifetimeSeconds) {
        case .refused:
            throw ServiceError(.unauthenticated, "fel användare eller lösenord", code: "session.refused")
        case .throttled(let seconds):
            return try ProblemDetails.tooManyAttempts(retryAfter: seconds, instance: request.uri.path).response(retryAfter: seconds)
        case .signedIn(let secret, let expires):
            let user = User.signedIn(body.user, credential: secret, request: context.requestID)
            let state = SessionState(user: body.user, roles: try await sessions.roles(of: user), expires: expires,
                csrfToken: Sessions.csrfToken(for: secret))
            var response = try APIBody.json(state, context: context)
            response.setCookie(try Cookie.validated(
                name: SignedInMiddleware.cookieName, value: secret, maxAge: max(1, Int(expires.timeIntervalSinceNow)), path: "/",
                secure: secure(request), httpOnly: true, sameSite: .strict))
            context.logger.info("signed in", metadata: ["user": "\(body.user)"])
            return response
        }
    }

    @Sendable func show(_ request: Request, context: FinsamRequestContext) async throws -> Response {
        let user = try context.user()
        let signedIn = context.signedIn!
        let state = SessionState(user: signedIn.user, roles: try await sessions.roles(of: user), expires: nil,
            csrfToken: signedIn.byCookie ? Sessions.csrfToken(for: signedIn.secret) : nil)
        return try APIBody.json(state, context: context)
    }

    @Sendable func signOut(_ request: Request, context: FinsamRequestContext) async throws -> Response {
        _ = try context.user()
        guard let signedIn = context.signedIn, signedIn.byCookie else {
            throw ServiceError(.invalid, "en API-nyckel loggar inte ut: den återkallas av driften", code: "session.token-not-a-session")
        }
        _ = try await sessions.signOut(signedIn.secret)
        var response = Response(status: .noContent)
        response.setCookie(try Cookie.validated(
            name: SignedInMiddleware.cookieName, value: "", maxAge: 0, path: "/", secure: secure(request), httpOnly: true, sameSite: .strict))
        context.logger.info("signed out", metadata: ["user": "\(signedIn.user)"])
        return response
    }

    private func secure(_ request: Request) -> Bool { Self.secureCookie(for: request, always: secureCookies) }

    /// Whether the session cookie is marked Secure: when told so, or when the request came over TLS (a reverse proxy
    /// says `X-Forwarded-Proto: https`). The pages' sign-in sets the same cookie.
    static func secureCookie(for request: Request, always: Bool) -> Bool {
        always || request.headers[HTTPField.Name("X-Forwarded-Proto")!]?.lowercased() == "https"
    }
}
