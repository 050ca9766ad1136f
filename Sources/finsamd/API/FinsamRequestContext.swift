public import FinsamService
import Foundation
public import Hummingbird
import NIOCore

/// What the daemon knows about a request beyond the request itself: the client's address (for slowing guessed
/// passwords), who signed in (`SignedInMiddleware`), and the request id that the log and the audit trail share.
public struct FinsamRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The client's IP address, when the connection has one.
    public let remoteAddress: String?
    /// Who presented a live session or API token; nil until `SignedInMiddleware` found one.
    public var signedIn: SignedIn?

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress?.ipAddress
    }

    /// JSON bodies are small; files (SIE, bank files) stream through routes of their own.
    public var maxUploadSize: Int { 1 << 20 }

    /// The request's id, as the log and the audit trail record it.
    public var requestID: String { "finsamd " + id }

    /// The signed-in person as the service's actor, or 401 when nobody is signed in.
    public func user() throws -> User {
        guard let signedIn else {
            throw ServiceError(.unauthenticated, "logga in först", code: "session.missing")
        }
        return .signedIn(signedIn.user, credential: signedIn.secret, request: requestID)
    }
}

/// A person signed in: by a session cookie (a browser) or an API token (a script).
public struct SignedIn: Sendable, Equatable {
    public var user: String
    /// The person's name, as the pages show it.
    public var name: String
    public var secret: String
    public var byCookie: Bool
}
