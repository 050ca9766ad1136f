/// Who is acting, and which federations they may see. Every use case takes one: the database scopes the
/// transaction to `scope` (row-level security), and vouchers record `name` as the one who posted them.
public struct User: Sendable, Equatable {
    public enum Scope: Sendable, Equatable {
        /// The regional economy office: every federation it keeps the books of.
        case allFederations
        /// A director or board member: only these federations (by id).
        case federations([Int64])
    }

    public var name: String
    public var scope: Scope

    public init(name: String, scope: Scope) {
        self.name = name
        self.scope = scope
    }
}
