/// What preparing one member's disbursement for an intervention and half-year does (DOMAIN.md, Disbursements), as a
/// value: given what the board decided and the disbursements that member already has, it says whether to create a
/// draft for the difference, change the open draft, withdraw it, or do nothing and why. The service only loads the
/// disbursements, calls this, and stores what it says.
///
/// What was submitted, approved or paid is committed and never changed here: a changed decision is met by a draft
/// for the difference (negative when the decision went down). A draft or a returned disbursement is open: it follows
/// the decision, and is withdrawn when nothing is left to pay. While a disbursement waits for approval, a new
/// difference waits too: the director returns it first.
public struct DisbursementPreparation: Sendable, Equatable {
    public enum Step: Sendable, Equatable {
        /// A new draft for this amount.
        case create(amount: Money)
        /// The open disbursement `number` is changed to this amount (and to the new decision).
        case update(number: Int, amount: Money)
        /// The open disbursement `number` is withdrawn: the decision leaves nothing to pay.
        case withdraw(number: Int)
        /// The open disbursement `number` already says what the decision does.
        case unchanged(number: Int)
        /// The decision changed while a disbursement waits for approval: nothing is prepared until it is returned.
        case awaitingApproval
        /// What is submitted, approved or paid is exactly what was decided.
        case alreadyCommitted
        /// Nothing decided and nothing committed.
        case nothingDecided
    }

    /// One disbursement the member already has for the intervention and half-year.
    public struct Existing: Sendable, Equatable {
        public var number: Int
        public var state: DisbursementState
        public var amount: Money
        /// The decided sum it was prepared from.
        public var decided: Money

        public init(number: Int, state: DisbursementState, amount: Money, decided: Money) {
            self.number = number
            self.state = state
            self.amount = amount
            self.decided = decided
        }
    }

    public var step: Step
    /// What is submitted, approved or paid already.
    public var committed: Money

    /// The step for a member whose decisions add up to `decided`, with the disbursements `existing`.
    public static func decide(decided: Money, existing: [Existing]) throws -> DisbursementPreparation {
        let committed = try existing.filter { [.submitted, .approved, .paid].contains($0.state) }.sum(\.amount)
        let difference = try decided - committed
        let step: Step
        if let open = existing.first(where: { $0.state == .draft || $0.state == .returned }) {
            if difference == .zero {
                step = .withdraw(number: open.number)
            } else if open.amount != difference || open.decided != decided {
                step = .update(number: open.number, amount: difference)
            } else {
                step = .unchanged(number: open.number)
            }
        } else if difference != .zero {
            step = existing.contains { $0.state == .submitted } ? .awaitingApproval : .create(amount: difference)
        } else {
            step = committed == .zero ? .nothingDecided : .alreadyCommitted
        }
        return DisbursementPreparation(step: step, committed: committed)
    }
}
