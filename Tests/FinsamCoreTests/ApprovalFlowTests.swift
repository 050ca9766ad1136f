import FinsamCore
import Testing

/// The approval of disbursements without a database (issue 15): every role × state × amount (below or above the
/// delegation limit) × approvals so far, and every move (submit, return, reject) from every state by every role.
/// The expectations restate DOMAIN.md's rules in the test's own terms.
@Suite struct ApprovalFlowTests {
    static let preparer = "lena.lind"
    static let actor = "anna.dahl"

    /// The approvals a round can have so far: none, the director's, or (above the limit) the chair's.
    static func roundsSoFar(needsChair: Bool) -> [[Role: String]] {
        needsChair ? [[:], [.director: "dir.annan"], [.chair: "ord.annan"]] : [[:]]
    }

    @Test func everyApprovalByEveryRoleInEveryStateAndAmount() {
        var cases = 0
        for state in DisbursementState.allCases {
            for needsChair in [false, true] {
                for approvals in Self.roundsSoFar(needsChair: needsChair) {
                    for role in Role.allCases {
                        let flow = ApprovalFlow.Case(state: state, needsChair: needsChair, preparedOrSubmittedBy: [Self.preparer],
                            approvals: approvals, approvedBy: "dir.annan")
                        let decision = ApprovalFlow.approve(flow, by: Self.actor, holding: [role])
                        let stillNeeded = Set(needsChair ? [Role.director, .chair] : [.director]).subtracting(approvals.keys)
                        let expected: ApprovalFlow.Approval
                        switch state {
                        case .approved, .paid: expected = .refused(.alreadyApproved(by: "dir.annan"))
                        case .draft, .returned, .rejected: expected = .refused(.wrongState(state, to: .approved, from: [.submitted]))
                        case .submitted:
                            if stillNeeded.contains(role) {
                                expected = .approve(as: role, completes: stillNeeded.count == 1)
                            } else {
                                expected = .refused(.lacksRole(needed: [Role.director, .chair].filter(stillNeeded.contains), actor: Self.actor))
                            }
                        }
                        #expect(decision == expected, "\(state) chair:\(needsChair) \(approvals) \(role)")
                        cases += 1
                    }
                }
            }
        }
        #expect(cases == 6 * (1 + 3) * 6)
    }

    @Test func aboveTheLimitTheDirectorAndTheChairApproveInEitherOrder() {
        let submitted = ApprovalFlow.Case(state: .submitted, needsChair: true, preparedOrSubmittedBy: [Self.preparer])
        #expect(ApprovalFlow.approve(submitted, by: "olof.strand", holding: [.chair]) == .approve(as: .chair, completes: false))
        var afterChair = submitted
        afterChair.approvals[.chair] = "olof.strand"
        #expect(ApprovalFlow.approve(afterChair, by: "anna.dahl", holding: [.director]) == .approve(as: .director, completes: true))
        // The chair cannot approve a second time, not even as director.
        #expect(ApprovalFlow.approve(afterChair, by: "olof.strand", holding: [.chair, .director])
            == .refused(.approvedTwice(actor: "olof.strand", role: .chair)))
        // Someone holding both roles gives the director's approval first.
        #expect(ApprovalFlow.approve(submitted, by: "anna.dahl", holding: [.chair, .director]) == .approve(as: .director, completes: false))
    }

    @Test func nobodyApprovesWhatTheyPreparedOrSubmitted() {
        let flow = ApprovalFlow.Case(state: .submitted, needsChair: false, preparedOrSubmittedBy: ["lena.lind", "per.ek"])
        for author in ["lena.lind", "per.ek"] {
            let decision = ApprovalFlow.approve(flow, by: author, holding: Set(Role.allCases))
            #expect(decision == .refused(.ownDisbursement(actor: author)))
            if case .refused(let refusal) = decision {
                #expect(refusal.isForbidden)
                #expect(refusal.message(number: 9, federation: "norralv") == "\(author) har förberett eller skickat in utbetalning 9 och får inte attestera den")
            }
        }
    }

    @Test func everyMoveFromEveryStateByEveryRole() {
        for target in [DisbursementState.submitted, .returned, .rejected] {
            for state in DisbursementState.allCases {
                for role in Role.allCases {
                    let flow = ApprovalFlow.Case(state: state, needsChair: false, preparedOrSubmittedBy: [Self.preparer])
                    let refusal = ApprovalFlow.move(flow, to: target, by: Self.actor, holding: [role])
                    let starts: [DisbursementState] = switch target {
                    case .submitted: [.draft, .returned]
                    case .returned: [.submitted]
                    default: [.draft, .submitted, .returned]
                    }
                    let mayWhenStarted: Bool = switch (target, state) {
                    case (.submitted, _): role == .economy
                    case (.returned, _), (.rejected, .submitted): role == .director || role == .chair
                    default: role == .economy || role == .director || role == .chair
                    }
                    if !starts.contains(state) {
                        #expect(refusal == .wrongState(state, to: target, from: starts), "\(target) \(state) \(role)")
                    } else if mayWhenStarted {
                        #expect(refusal == nil, "\(target) \(state) \(role)")
                    } else {
                        #expect(refusal != nil && refusal?.isForbidden == true, "\(target) \(state) \(role)")
                    }
                }
            }
        }
    }

    @Test func theRefusalsReadAsTheServiceSaysThem() {
        #expect(ApprovalFlow.Refusal.lacksRole(needed: [.director, .chair], actor: "siv.berg").message(number: 9, federation: "norralv")
            == "utbetalning 9 väntar på attest av förbundschef och ordförande; siv.berg har inte den rollen i norralv")
        #expect(ApprovalFlow.Refusal.wrongState(.paid, to: .returned, from: [.submitted]).message(number: 4, federation: "norralv")
            == "utbetalning 4 är utbetald och kan inte bli återsänd (det går bara från inskickad)")
        #expect(ApprovalFlow.Refusal.alreadyApproved(by: "anna.dahl").message(number: 4, federation: "norralv")
            == "utbetalning 4 är redan attesterad av anna.dahl")
        #expect(ApprovalFlow.Refusal.submittedNeedsApprover.message(number: 7, federation: "norralv")
            == "utbetalning 7 är inskickad; bara förbundschefen eller ordföranden kan återsända eller avslå den")
    }

    @Test func overTheBudgetIsAWarningOrARefusal() throws {
        let within = try BudgetCheck.check(intervention: "se-aneby", year: 2026, budget: Money(kronor: 1_000_000),
            approvedBefore: Money(kronor: 600_000), amount: Money(kronor: 400_000), blocksOverrun: true)
        #expect(within == .within)
        let over = try BudgetCheck.check(intervention: "se-aneby", year: 2026, budget: Money(kronor: 1_000_000),
            approvedBefore: Money(kronor: 600_000), amount: Money(kronor: 400_001), blocksOverrun: false)
        #expect(over == .over(message: "attesterat och utbetalt för se-aneby 2026 blir 1 000 001 kr, över budgeten 1 000 000 kr"))
        let refused = try BudgetCheck.check(intervention: "se-aneby", year: 2026, budget: .zero,
            approvedBefore: .zero, amount: Money(kronor: 1), blocksOverrun: true)
        #expect(refused == .refused(message: "se-aneby har ingen budget för 2026; attesterat och utbetalt för se-aneby 2026 blir 1 kr; förbundet tillåter inte attest över budget"))
    }
}
