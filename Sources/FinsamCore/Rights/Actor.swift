/// Who does a use case (issue 15): a person by their user code with their roles per federation, the operator at the
/// server's terminal, or the system's own nightly job. The service asks `may` before it does anything.
public struct Actor: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        /// A person, by user code.
        case user(String)
        /// Whoever runs the CLI on the server without naming a user, by login: every right but approving (which needs
        /// a named person). They hold the database's credentials anyway.
        case `operator`(String)
        /// The nightly job: it imports bank files, reconciles and reads.
        case system
    }

    public var kind: Kind
    /// The person's roles, by federation code. Empty for the operator and the system.
    public var roles: [String: Set<Role>]

    public init(kind: Kind, roles: [String: Set<Role>] = [:]) {
        self.kind = kind
        self.roles = roles
    }

    /// How the audit trail and the ledger record the actor: the user code, `operator:<login>` or `system`.
    public var recordedName: String {
        switch kind {
        case .user(let code): code
        case .operator(let login): "operator:\(login)"
        case .system: "system"
        }
    }

    /// The use cases that need a named person: nobody approves, returns or rejects on the operator's behalf.
    public static let personal: Set<UseCase> = [.disbursementApprove, .disbursementReturn, .disbursementReject]

    /// What the nightly job does.
    public static let systemWork: Set<UseCase> = [.nightlyRun, .bankFileImport, .reconcile, .federationRead, .reportRead]

    /// Whether the actor may do `useCase` in `federation`. A role in one federation gives nothing in another.
    public func may(_ useCase: UseCase, in federation: String) -> Bool {
        switch kind {
        case .operator: !Self.personal.contains(useCase)
        case .system: Self.systemWork.contains(useCase)
        case .user: Rights.allows(roles[federation] ?? [], useCase)
        }
    }

    /// Whether the actor may do `useCase` where it concerns no single federation (listing the federations one sees,
    /// the users): a person needs the right in at least one of their federations.
    public func mayAnywhere(_ useCase: UseCase) -> Bool {
        switch kind {
        case .operator: !Self.personal.contains(useCase)
        case .system: Self.systemWork.contains(useCase)
        case .user: roles.values.contains { Rights.allows($0, useCase) }
        }
    }

    /// The stable code of a refusal: a role is missing, a named person is needed, or the nightly job may not.
    public func refusalCode(_ useCase: UseCase) -> String {
        switch kind {
        case .operator: "rights.person-required"
        case .system: "rights.system-refused"
        case .user: "rights.role-missing"
        }
    }

    /// Why `may` said no, in Swedish, naming the role that is needed.
    public func refusal(_ useCase: UseCase, in federation: String) -> String {
        switch kind {
        case .operator where Self.personal.contains(useCase):
            "att \(useCase.swedishName) kräver en namngiven person med rätt roll, inte driften"
        case .system:
            "nattens körning får inte \(useCase.swedishName)"
        case .user(let code) where !Rights.roles(for: useCase).isEmpty:
            "\(code) får inte \(useCase.swedishName) i \(federation): det kräver " + Rights.neededRoles(useCase)
        default:
            Rights.refusal(useCase, federation: federation)
        }
    }
}
