public import FinsamService
import Foundation
import HTTPTypes
import Logging
public import Hummingbird
import Synchronization

/// Finds who signed in: `Authorization: Bearer <token>` (scripts) or the session cookie (browsers), and asks the
/// database whom the secret belongs to (`Sessions.identify`, cached briefly: a secret never changes hands, and
/// every use case checks it again in its own transaction, so a revoked one stops at once).
///
/// A browser's writes need the session's CSRF token in `X-CSRF-Token` as well (`Sessions.csrfToken`): another site
/// can make the browser send the cookie, but cannot read the token.
public struct SignedInMiddleware: RouterMiddleware {
    public typealias Context = FinsamRequestContext

    public static let cookieName = "finsam_session"
    public static let csrfHeader = HTTPField.Name("X-CSRF-Token")!

    let sessions: Sessions
    let cache: IdentityCache

    public init(sessions: Sessions, cache: IdentityCache = IdentityCache()) {
        self.sessions = sessions
        self.cache = cache
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        let bearer = Self.bearer(request)
        if let secret = bearer ?? request.cookies[Self.cookieName]?.value {
            if let person = try await identify(secret) {
                context.signedIn = SignedIn(user: person.code, name: person.name, secret: secret, byCookie: bearer == nil)
            } else if bearer != nil {
                // A token that is wrong, expired or revoked is an error, not an anonymous request.
                throw ServiceError(.unauthenticated, "API-nyckeln gäller inte (okänd, utgången eller återkallad)", code: "token.invalid")
            }
        }
        // The API's writes carry the token in a header; a page's form carries it in a field, checked by the page
        // (PageForm.checkedFields).
        if let signedIn = context.signedIn, signedIn.byCookie, !Self.isSafe(request.method), request.uri.path.hasPrefix("/api/") {
            guard let presented = request.headers[Self.csrfHeader], presented == Sessions.csrfToken(for: signedIn.secret) else {
                throw ServiceError(.forbidden, "begäran saknar inloggningens CSRF-nyckel (X-CSRF-Token)", code: "csrf.missing")
            }
        }
        return try await next(request, context)
    }

    private func identify(_ secret: String) async throws -> SignedInPerson? {
        if let known = cache.person(for: secret) { return known }
        guard let person = try await sessions.identify(secret) else { return nil }
        cache.remember(person, for: secret)
        return person
    }

    /// The token of `Authorization: Bearer <token>` (the scheme in any case, RFC 9110), or nil. Read byte by byte:
    /// splitting and Foundation's trimming cost a fortieth of the daemon's time on a fast route (perf).
    static func bearer(_ request: Request) -> String? {
        request.headers[.authorization].flatMap(bearer(authorization:))
    }

    static func bearer(authorization value: String) -> String? {
        let bytes = Array(value.utf8)
        let scheme = Array("bearer".utf8)
        guard bytes.count > scheme.count, bytes[scheme.count] == UInt8(ascii: " "),
              zip(bytes, scheme).allSatisfy({ $0 | 0x20 == $1 })
        else { return nil }
        let blank: (UInt8) -> Bool = { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }
        guard let start = bytes[scheme.count...].firstIndex(where: { !blank($0) }),
              let end = bytes.lastIndex(where: { !blank($0) })
        else { return nil }
        return String(decoding: bytes[start...end], as: UTF8.self)
    }

    static func isSafe(_ method: HTTPRequest.Method) -> Bool {
        method == .get || method == .head || method == .options
    }
}

/// Whom recently seen secrets belong to, for a minute, at most 10 000 of them.
public final class IdentityCache: Sendable {
    private struct Entry {
        var person: SignedInPerson
        var until: ContinuousClock.Instant
    }

    private let entries = Mutex<[String: Entry]>([:])
    private let lifetime: Duration
    private let capacity: Int

    public init(lifetime: Duration = .seconds(60), capacity: Int = 10_000) {
        self.lifetime = lifetime
        self.capacity = capacity
    }

    func person(for secret: String) -> SignedInPerson? {
        let now = ContinuousClock.now
        return entries.withLock { entries in
            guard let entry = entries[secret] else { return nil }
            guard entry.until > now else {
                entries[secret] = nil
                return nil
            }
            return entry.person
        }
    }

    func remember(_ person: SignedInPerson, for secret: String) {
        let until = ContinuousClock.now + lifetime
        entries.withLock { entries in
            if entries.count >= capacity { entries.removeAll(keepingCapacity: true) }
            entries[secret] = Entry(person: person, until: until)
        }
    }
}
