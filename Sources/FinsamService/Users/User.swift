public import FinsamCore
import Foundation

/// Who acts in a use case (issue 15): a person by user code, the operator at the server's terminal, or the system's
/// nightly job. Every use case takes one. The service loads the person's roles in the use case's transaction, asks
/// the rights table (`Actor.may`) before it does anything, scopes the transaction to the person's federations
/// (row-level security), and records `name` as who did it: the user code, `operator:<login>` or `system`.
public struct User: Sendable, Equatable {
    public var kind: Actor.Kind
    /// The command or request the work belongs to (the audit trail records it): e.g. `finsam voucher post` with a
    /// random suffix, or the daemon's request id.
    public var request: String?
    /// The secret of the session or API token the person signed in with (the daemon). The database scopes the
    /// transaction from it (`finsam_act_as_credential`, schema/021): whoever holds the application role's connection
    /// cannot act for a person without it. Nil for the CLI, which logs in as the operator role and names the person.
    public var credential: String?

    public init(_ kind: Actor.Kind, request: String? = nil, credential: String? = nil) {
        self.kind = kind
        self.request = request
        self.credential = credential
    }

    /// A person signed in to the daemon: their user code (`Sessions.identify`) and the secret that proves it.
    public static func signedIn(_ code: String, credential: String, request: String? = nil) -> User {
        User(.user(code), request: request, credential: credential)
    }

    /// A person, by user code: their roles decide what they may do, in which federations.
    public static func person(_ code: String, request: String? = nil) -> User { User(.user(code), request: request) }

    /// The operator at the server's terminal, by login: every right but those that need a named person.
    public static func `operator`(_ login: String, request: String? = nil) -> User { User(.operator(login), request: request) }

    /// The operator at this terminal, by the login the environment names.
    public static func localOperator(request: String? = nil) -> User {
        let login = ProcessInfo.processInfo.environment["USER"].flatMap { $0.isEmpty ? nil : $0 } ?? NSUserName()
        return .operator(login, request: request)
    }

    /// The nightly job.
    public static func system(request: String? = nil) -> User { User(.system, request: request) }

    /// How the ledger and the audit trail record who acted.
    public var name: String { Actor(kind: kind).recordedName }

    /// The same actor on behalf of another request.
    public func with(request: String?) -> User { User(kind, request: request, credential: credential) }
}
