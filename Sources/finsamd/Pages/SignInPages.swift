import FinsamCore
import FinsamService
import Foundation
import HTTPTypes
import Hummingbird
import Logging

/// Signing in and out with the browser (`/logga-in`, `/logga-ut`): the same sessions as the API's, the cookie
/// HttpOnly and SameSite=Strict. The demo says on the sign-in page that its users' password is `demo`.
struct SignInPages {
    let pages: PageRenderer
    let sessions: Sessions
    let secureCookies: Bool
    let demo: Bool

    func addRoutes(to router: Router<FinsamRequestContext>) {
        router.get("/logga-in", use: form)
        router.post("/logga-in", use: signIn)
        router.post("/logga-ut", use: signOut)
        router.get("/static/finsam.css") { _, _ in PageRenderer.styleSheet() }
    }

    func signInPage(user: String = "", error: String? = nil, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]) -> Response {
        var values: [String: Any] = ["title": "Logga in", "user": user, "demo": demo]
        if let error { values["error"] = error }
        return pages.page("signin", values, status: status, headers: headers)
    }

    @Sendable func form(_ request: Request, context: FinsamRequestContext) async throws -> Response {
        if context.signedIn?.byCookie == true { return PageRenderer.redirect(to: "/") }
        return signInPage()
    }

    @Sendable func signIn(_ request: Request, context: FinsamRequestContext) async throws -> Response {
        guard !PageForm.isCrossSite(request) else {
            return signInPage(error: "Inloggningen kom från en annan webbplats och togs inte emot.", status: .forbidden)
        }
        let fields = try await PageForm.fields(of: request)
        let user = (fields["user"] ?? "").trimmingCharacters(in: .whitespaces)
        switch try await sessions.signIn(user: user, password: fields["password"] ?? "", address: context.remoteAddress,
            lifetimeSeconds: Sessions.defaultLifetime) {
        case .refused:
            return signInPage(user: user, error: "Fel användare eller lösenord.", status: .unauthorized)
        case .throttled(let seconds):
            var headers = HTTPFields()
            headers[.retryAfter] = String(seconds)
            return signInPage(user: user, error: "För många misslyckade försök. Vänta \(seconds) sekunder och försök igen.",
                status: .tooManyRequests, headers: headers)
        case .signedIn(let secret, let expires):
            var response = PageRenderer.redirect(to: "/")
            response.setCookie(try Cookie.validated(
                name: SignedInMiddleware.cookieName, value: secret, maxAge: max(1, Int(expires.timeIntervalSinceNow)), path: "/",
                secure: secure(request), httpOnly: true, sameSite: .strict))
            context.logger.info("signed in", metadata: ["user": "\(user)", "via": "page"])
            return response
        }
    }

    @Sendable func signOut(_ request: Request, context: FinsamRequestContext) async throws -> Response {
        do {
            _ = try await PageForm.checkedFields(of: request, context: context)
        } catch let error as ServiceError where error.kind == .unauthenticated {
            return PageRenderer.redirect(to: "/logga-in")
        }
        _ = try await sessions.signOut(context.signedIn!.secret)
        var response = PageRenderer.redirect(to: "/logga-in")
        response.setCookie(try Cookie.validated(
            name: SignedInMiddleware.cookieName, value: "", maxAge: 0, path: "/", secure: secure(request), httpOnly: true, sameSite: .strict))
        return response
    }

    private func secure(_ request: Request) -> Bool { SessionController.secureCookie(for: request, always: secureCookies) }
}
