import FinsamService
import Foundation
import HTTPTypes
import Hummingbird

/// A form a page posts (`application/x-www-form-urlencoded`), read with its limit; every form of a signed-in page
/// carries the session's CSRF token in the hidden field `csrf`, and one without it, or with another, is refused
/// before anything is done.
enum PageForm {
    static let limit = 64 * 1024

    static func fields(of request: Request) async throws -> [String: String] {
        let buffer = try await request.body.collect(upTo: limit)
        do {
            return try URLEncodedFormDecoder().decode([String: String].self, from: String(buffer: buffer))
        } catch {
            throw ServiceError(.invalid, "formuläret kunde inte läsas", code: "request.form-invalid")
        }
    }

    /// The fields of a signed-in person's form, after checking its CSRF token against their session.
    static func checkedFields(of request: Request, context: FinsamRequestContext) async throws -> [String: String] {
        guard let signedIn = context.signedIn, signedIn.byCookie else {
            throw ServiceError(.unauthenticated, "logga in först", code: "session.missing")
        }
        let fields = try await fields(of: request)
        guard let token = fields["csrf"], token == Sessions.csrfToken(for: signedIn.secret) else {
            throw ServiceError(.forbidden, "formuläret saknar inloggningens CSRF-nyckel; ladda om sidan och försök igen", code: "csrf.missing")
        }
        return fields
    }

    /// Whether a browser says the request comes from another site (`Sec-Fetch-Site`, or an `Origin` that is not
    /// this host): the sign-in form, which has no session yet to carry a token, refuses such a post.
    static func isCrossSite(_ request: Request) -> Bool {
        if let site = request.headers[HTTPField.Name("Sec-Fetch-Site")!], site == "cross-site" { return true }
        if let origin = request.headers[.origin], origin != "null", let authority = request.head.authority {
            guard let url = URL(string: origin), let originHost = url.host else { return true }
            return "\(originHost)\(url.port.map { ":\($0)" } ?? "")" != authority
        }
        return false
    }
}
