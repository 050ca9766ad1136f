import FinsamCore
import Testing

/// What preparing a member's disbursement does, case by case without a database (DOMAIN.md, Disbursements). Each
/// expected step and amount is worked out by hand from the rules: committed is what is submitted, approved or paid;
/// the open draft or returned disbursement follows the decision; a difference waits while one awaits approval.
@Suite struct DisbursementPreparationTests {
    typealias Existing = DisbursementPreparation.Existing

    static func kr(_ kronor: Int64) -> Money { Money(kronor: kronor) }

    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var decided: Int64
        var existing: [Existing]
        var step: DisbursementPreparation.Step
        var committed: Int64
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "nothing yet: a draft of the decision", decided: 120_000, existing: [],
             step: .create(amount: kr(120_000)), committed: 0),
        Case(name: "nothing decided, nothing committed", decided: 0, existing: [], step: .nothingDecided, committed: 0),
        Case(name: "paid as decided", decided: 120_000,
             existing: [Existing(number: 1, state: .paid, amount: kr(120_000), decided: kr(120_000))],
             step: .alreadyCommitted, committed: 120_000),
        Case(name: "decision raised after payment: the difference", decided: 150_000,
             existing: [Existing(number: 1, state: .paid, amount: kr(120_000), decided: kr(120_000))],
             step: .create(amount: kr(30_000)), committed: 120_000),
        Case(name: "decision lowered after payment: a negative difference", decided: 100_000,
             existing: [Existing(number: 1, state: .paid, amount: kr(120_000), decided: kr(120_000))],
             step: .create(amount: kr(-20_000)), committed: 120_000),
        Case(name: "the draft already says it", decided: 120_000,
             existing: [Existing(number: 3, state: .draft, amount: kr(120_000), decided: kr(120_000))],
             step: .unchanged(number: 3), committed: 0),
        Case(name: "the draft follows a lowered decision", decided: 90_000,
             existing: [Existing(number: 3, state: .draft, amount: kr(120_000), decided: kr(120_000))],
             step: .update(number: 3, amount: kr(90_000)), committed: 0),
        Case(name: "nothing left to pay: the draft is withdrawn", decided: 60_000,
             existing: [Existing(number: 2, state: .paid, amount: kr(60_000), decided: kr(120_000)),
                        Existing(number: 4, state: .draft, amount: kr(60_000), decided: kr(120_000))],
             step: .withdraw(number: 4), committed: 60_000),
        Case(name: "a changed decision waits while one awaits approval", decided: 150_000,
             existing: [Existing(number: 5, state: .submitted, amount: kr(120_000), decided: kr(120_000))],
             step: .awaitingApproval, committed: 120_000),
        Case(name: "a returned one is open like a draft", decided: 120_000,
             existing: [Existing(number: 5, state: .returned, amount: kr(120_000), decided: kr(120_000))],
             step: .unchanged(number: 5), committed: 0),
        Case(name: "a rejected one counts for nothing", decided: 120_000,
             existing: [Existing(number: 6, state: .rejected, amount: kr(120_000), decided: kr(120_000))],
             step: .create(amount: kr(120_000)), committed: 0),
        Case(name: "the right amount from a stale decision is updated", decided: 100_000,
             existing: [Existing(number: 2, state: .approved, amount: kr(60_000), decided: kr(90_000)),
                        Existing(number: 7, state: .draft, amount: kr(40_000), decided: kr(90_000))],
             step: .update(number: 7, amount: kr(40_000)), committed: 60_000),
    ]

    @Test(arguments: cases)
    func theStepFollowsTheRules(_ c: Case) throws {
        let preparation = try DisbursementPreparation.decide(decided: Self.kr(c.decided), existing: c.existing)
        #expect(preparation.step == c.step)
        #expect(preparation.committed == Self.kr(c.committed))
    }

    @Test func anAmountBeyondTheLimitIsAnErrorNotATrap() {
        let beyond = [Existing(number: 1, state: .paid, amount: Money(öre: -Money.limit.öre), decided: .zero)]
        #expect(throws: MoneyOverflow.self) { try DisbursementPreparation.decide(decided: Money.limit, existing: beyond) }
    }
}
