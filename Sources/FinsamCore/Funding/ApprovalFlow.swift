/// The approval of disbursements as a value (issue 15): given a disbursement's state, who prepared and submitted it,
/// the approvals of its current round and whether it lies above the delegation limit, and given the actor and the
/// roles the actor holds in the federation, what happens next, or why not. The service loads, asks here and stores;
/// the database's triggers check the same once more (schema/011, schema/015).
///
/// DOMAIN.md: the economy office prepares and submits; the director approves; above the delegation limit the chair
/// approves as well, in either order, and the last approval needed makes the disbursement approved. Nobody approves
/// what they prepared or submitted, nor twice. A submitted disbursement can be returned for changes or rejected by
/// the director or the chair; the economy office may reject (withdraw) its own draft or a returned one.
public enum ApprovalFlow {
    /// What the flow needs to know of one disbursement.
    public struct Case: Sendable, Equatable {
        public var state: DisbursementState
        /// Above the federation's delegation limit: the chair approves as well as the director.
        public var needsChair: Bool
        /// Who prepared it and everyone who submitted it (in any round).
        public var preparedOrSubmittedBy: Set<String>
        /// The approvals of the current round, by role.
        public var approvals: [Role: String]
        /// Who gave the approval that made it approved, once it is.
        public var approvedBy: String?

        public init(
            state: DisbursementState, needsChair: Bool, preparedOrSubmittedBy: Set<String>, approvals: [Role: String] = [:],
            approvedBy: String? = nil
        ) {
            self.state = state
            self.needsChair = needsChair
            self.preparedOrSubmittedBy = preparedOrSubmittedBy
            self.approvals = approvals
            self.approvedBy = approvedBy
        }

        /// The roles whose approval the current round still lacks, director first.
        public var missingApprovals: [Role] {
            (needsChair ? [Role.director, .chair] : [.director]).filter { approvals[$0] == nil }
        }
    }

    /// Why the actor cannot do it.
    public enum Refusal: Sendable, Equatable {
        /// The disbursement is not in a state the step starts from (`from`: the states it does start from).
        case wrongState(DisbursementState, to: DisbursementState, from: [DisbursementState])
        /// Already approved (or paid); `by` names who gave the last approval when known.
        case alreadyApproved(by: String?)
        /// The actor prepared or submitted it.
        case ownDisbursement(actor: String)
        /// The actor approved it already in this round, as `role`.
        case approvedTwice(actor: String, role: Role)
        /// The approvals it lacks need roles the actor does not hold.
        case lacksRole(needed: [Role], actor: String)
        /// A submitted disbursement is returned or rejected only by those who approve.
        case submittedNeedsApprover

        /// Forbidden (the actor may not) rather than a conflict (the disbursement is not in the state for it).
        public var isForbidden: Bool {
            switch self {
            case .ownDisbursement, .lacksRole, .submittedNeedsApprover: true
            case .wrongState, .alreadyApproved, .approvedTwice: false
            }
        }

        /// The Swedish message, naming the disbursement by `number` and the federation.
        public func message(number: Int, federation: String) -> String {
            switch self {
            case .wrongState(let state, .approved, _):
                return "utbetalning \(number) är \(state.swedishName); bara en inskickad utbetalning kan attesteras"
            case .wrongState(let state, let target, let from):
                return "utbetalning \(number) är \(state.swedishName) och kan inte bli \(target.swedishName) (det går bara från "
                    + from.map(\.swedishName).joined(separator: " eller ") + ")"
            case .alreadyApproved(let by):
                return "utbetalning \(number) är redan attesterad" + (by.map { " av \($0)" } ?? "")
            case .ownDisbursement(let actor):
                return "\(actor) har förberett eller skickat in utbetalning \(number) och får inte attestera den"
            case .approvedTwice(let actor, let role):
                return "\(actor) har redan attesterat utbetalning \(number) som \(role.swedishName)"
            case .lacksRole(let needed, let actor) where needed.allSatisfy({ $0 == .director || $0 == .chair }):
                // Approvals the round still lacks.
                return "utbetalning \(number) väntar på attest av " + needed.map(\.swedishName).joined(separator: " och ")
                    + "; \(actor) har inte den rollen i \(federation)"
            case .lacksRole(let needed, _):
                return "utbetalning \(number) kan bara ändras av " + needed.map(\.swedishName).joined(separator: " eller ")
            case .submittedNeedsApprover:
                return "utbetalning \(number) är inskickad; bara förbundschefen eller ordföranden kan återsända eller avslå den"
            }
        }
    }

    public enum Approval: Sendable, Equatable {
        /// The actor approves as `role`; `completes`: it was the last approval needed, the disbursement is approved.
        case approve(as: Role, completes: Bool)
        case refused(Refusal)
    }

    /// What an approval by `actor`, holding `roles`, does to the disbursement.
    public static func approve(_ disbursement: Case, by actor: String, holding roles: Set<Role>) -> Approval {
        switch disbursement.state {
        case .submitted: break
        case .approved, .paid: return .refused(.alreadyApproved(by: disbursement.approvedBy))
        default: return .refused(.wrongState(disbursement.state, to: .approved, from: [.submitted]))
        }
        if disbursement.preparedOrSubmittedBy.contains(actor) { return .refused(.ownDisbursement(actor: actor)) }
        if let mine = disbursement.approvals.first(where: { $0.value == actor }) {
            return .refused(.approvedTwice(actor: actor, role: mine.key))
        }
        let missing = disbursement.missingApprovals
        guard let role = missing.first(where: roles.contains) else { return .refused(.lacksRole(needed: missing, actor: actor)) }
        return .approve(as: role, completes: missing.count == 1)
    }

    /// The states a move to `target` (submitted, returned, rejected) starts from.
    public static func origins(of target: DisbursementState) -> [DisbursementState] {
        switch target {
        case .submitted: [.draft, .returned]
        case .returned: [.submitted]
        case .rejected: [.draft, .submitted, .returned]
        default: []
        }
    }

    /// Whether `roles` may move the disbursement to `target` (submit, return, reject), or why not. A submitted one is
    /// returned or rejected by the director or the chair; the economy office submits, and withdraws (rejects) what is
    /// not yet submitted.
    public static func move(_ disbursement: Case, to target: DisbursementState, by actor: String, holding roles: Set<Role>) -> Refusal? {
        let from = origins(of: target)
        guard from.contains(disbursement.state) else { return .wrongState(disbursement.state, to: target, from: from) }
        switch (target, disbursement.state) {
        case (.submitted, _):
            return roles.contains(.economy) ? nil : .lacksRole(needed: [.economy], actor: actor)
        case (.returned, _), (.rejected, .submitted):
            return roles.isDisjoint(with: [.director, .chair]) ? .submittedNeedsApprover : nil
        default:
            return roles.isDisjoint(with: [.economy, .director, .chair]) ? .lacksRole(needed: [.economy, .director, .chair], actor: actor) : nil
        }
    }
}

/// Whether approving one more disbursement stays within its intervention's budget for the year (DOMAIN.md): over the
/// budget is a warning, or a refusal when the federation blocks it.
public enum BudgetCheck: Sendable, Equatable {
    case within
    case over(message: String)
    case refused(message: String)

    public static func check(
        intervention: String, year: Int, budget: Money, approvedBefore: Money, amount: Money, blocksOverrun: Bool
    ) throws(MoneyOverflow) -> BudgetCheck {
        let after = try approvedBefore + amount
        guard after > budget else { return .within }
        let approvedText = "attesterat och utbetalt för \(intervention) \(year) blir \(SwedishNumberFormat.kronor(after, wholeKronor: true)) kr"
        let message = budget == .zero
            ? "\(intervention) har ingen budget för \(year); " + approvedText
            : approvedText + ", över budgeten \(SwedishNumberFormat.kronor(budget, wholeKronor: true)) kr"
        return blocksOverrun ? .refused(message: message + "; förbundet tillåter inte attest över budget") : .over(message: message)
    }
}
