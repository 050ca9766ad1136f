public import FinsamCore
import Postgres

/// What `prepare` did for one member.
public struct PreparedDisbursement: Sendable, Codable, Equatable {
    public enum Outcome: String, Sendable, Codable {
        /// A new draft for what is decided and not yet submitted, approved or paid.
        case created
        /// The draft (or returned disbursement) now has the new difference.
        case updated
        /// The draft already had it.
        case unchanged
        /// The decision changed so that nothing is left to pay: the draft was withdrawn (rejected).
        case withdrawn
        /// Everything decided is already approved or paid.
        case alreadyApproved
        /// The decision changed while a disbursement waits for approval: return it first.
        case awaitingApproval
        /// Nothing is decided (all months vacant).
        case nothingDecided
    }

    public var member: String
    public var memberName: String
    public var decided: Money
    /// Submitted, approved and paid before this preparation.
    public var committed: Money
    public var outcome: Outcome
    public var number: Int?
    public var amount: Money?
}

/// What an approval did.
public struct ApprovalOutcome: Sendable, Codable, Equatable {
    public var number: Int
    public var approvedAs: Role
    /// True when this approval made the disbursement approved; false when the chair's approval is still needed.
    public var approved: Bool
    /// The intervention's budget for the year, and what is approved or paid including this one.
    public var budget: Money
    public var approvedIncludingThis: Money
    /// Set when this approval goes beyond the budget (and the federation only warns).
    public var warning: String?
}

/// A batch of paid disbursements: their vouchers, and the pain.001 file for the bank.
public struct DisbursementBatch: Sendable, Codable, Equatable {
    public var number: Int
    public var messageID: String
    public var paidOn: CalendarDate
    public var disbursements: [Disbursement]
    /// Claims back (negative amounts) are booked but not sent to the bank.
    public var notInFile: [Int]
    public var total: Money
    public var file: String?
}

/// Who pays and where each payee is paid: what a pain.001 file needs besides the disbursements.
struct PaymentParties {
    var federationCode: String
    var debtor: CreditTransferFile.Debtor
    var accounts: [String: PayoutAccount]
}

public struct Disbursements: Sendable {
    let database: Database

    public init(_ database: Database) { self.database = database }

    public static let voucherSeries = "U"

    /// Prepares a draft per member (or for one member) from the decisions of an intervention and half-year: what is
    /// decided less what is already submitted, approved or paid. Running it again changes nothing; after a decision
    /// changes it prepares the difference, positive or negative.
    public func prepare(
        in federation: String, intervention: String, halfYear: HalfYear, member: String? = nil, by user: User
    ) async throws -> [PreparedDisbursement] {
        try await database.write(user, .disbursementPrepare, in: federation) { c in
            try await DisbursementStore.prepareDisbursements(c, in: federation, intervention: intervention, halfYear: halfYear, member: member, by: user)
        }
    }

    /// Sends drafts (or returned disbursements) for approval.
    public func submit(_ numbers: [Int], in federation: String, by user: User) async throws -> [Disbursement] {
        try await database.write(user, .disbursementSubmit, in: federation) { c in try await DisbursementStore.submitDisbursements(c, numbers, in: federation, by: user) }
    }

    /// Sends a submitted disbursement back to the economy office, with the reason.
    public func returnForChanges(_ numbers: [Int], in federation: String, comment: String, by user: User) async throws -> [Disbursement] {
        try await database.write(user, .disbursementReturn, in: federation) { c in try await DisbursementStore.returnDisbursements(c, numbers, in: federation, comment: comment, by: user) }
    }

    /// Rejects a disbursement for good, with the reason: a submitted one by an approver; a draft or returned one
    /// (withdrawn) by the economy office or the director.
    public func reject(_ numbers: [Int], in federation: String, comment: String, by user: User) async throws -> [Disbursement] {
        try await database.write(user, .disbursementReject, in: federation) { c in try await DisbursementStore.rejectDisbursements(c, numbers, in: federation, comment: comment, by: user) }
    }

    /// Approves submitted disbursements. The director approves; above the delegation limit the chair approves as
    /// well (in either order); the last approval needed makes it approved. Nobody approves what they prepared or
    /// submitted. Two approvals at the same moment wait for each other (the row is locked), so exactly one of
    /// them makes the transition. Going beyond the intervention's budget is a warning, or refused when the
    /// federation blocks it.
    public func approve(_ numbers: [Int], in federation: String, by user: User) async throws -> [ApprovalOutcome] {
        try await database.write(user, .disbursementApprove, in: federation) { c in try await DisbursementStore.approveDisbursements(c, numbers, in: federation, by: user) }
    }

    /// Pays approved disbursements (the given numbers, or all approved ones of an intervention and half-year): one
    /// voucher each (the cost on the intervention and member against the bank; a claim back against the claims account), all in
    /// one batch and one transaction. The batch's pain.001 file is returned when `file` is set.
    public func pay(
        _ numbers: [Int]?, in federation: String, intervention: String? = nil, halfYear: HalfYear? = nil,
        on date: CalendarDate, file: Bool, by user: User
    ) async throws -> DisbursementBatch {
        try await database.write(user, .disbursementPay, in: federation) { c in
            try await DisbursementStore.payDisbursements(c, numbers, in: federation, intervention: intervention, halfYear: halfYear, on: date, file: file, by: user)
        }
    }

    /// A paid batch again, with its pain.001 file, e.g. when the bank asks for it once more.
    public func batch(_ number: Int, in federation: String, by user: User) async throws -> DisbursementBatch {
        try await database.read(user, .reportRead, in: federation) { c in
            try await DisbursementStore.disbursementBatch(c, number, federationID: try await FederationStore.federationID(c, federation), file: true)
        }
    }

    public func list(
        in federation: String, intervention: String? = nil, halfYear: HalfYear? = nil, year: Int? = nil,
        state: DisbursementState? = nil, by user: User
    ) async throws -> [Disbursement] {
        try await database.read(user, .reportRead, in: federation) { c in
            let federationID = try await FederationStore.federationID(c, federation)
            var interventionID: Int64?
            if let intervention { interventionID = try await FundingDecisionStore.fundedIntervention(c, intervention, federationID: federationID).id }
            return try await DisbursementStore.disbursements(c,
                federationID: federationID, interventionID: interventionID, halfYear: halfYear, year: year, state: state)
        }
    }

    public func find(_ number: Int, in federation: String, by user: User) async throws -> Disbursement {
        try await database.read(user, .reportRead, in: federation) { c in
            let federationID = try await FederationStore.federationID(c, federation)
            guard let found = try await DisbursementStore.disbursements(c, federationID: federationID, numbers: [number]).first else {
                throw ServiceError(.notFound, "utbetalning \(number) finns inte i \(federation)", code: "disbursement.not-found",
                    arguments: ["federation": federation, "disbursement": String(number)])
            }
            return found
        }
    }
}

extension DisbursementStore {
    /// The named disbursements, locked for the rest of the transaction; every number must exist.
    static func lockedDisbursements(_ c: isolated Connection, _ numbers: [Int], federationID: Int64, federation: String) async throws -> [Disbursement] {
        let found = try await DisbursementStore.disbursements(c, federationID: federationID, numbers: numbers, lock: true)
        if let missing = numbers.first(where: { number in !found.contains { $0.number == number } }) {
            throw ServiceError(.notFound, "utbetalning \(missing) finns inte i \(federation)", code: "disbursement.not-found",
                arguments: ["federation": federation, "disbursement": String(missing)])
        }
        return found
    }

    /// The payer (the federation's account) and each payee's account, or a message naming what is missing and the
    /// command that sets it.
    static func paymentParties(_ c: isolated Connection, _ disbursements: [Disbursement], federationID: Int64) async throws -> PaymentParties {
        let federation = try await c.query(
            "SELECT code, name, payer_iban, payer_bic FROM federation WHERE federation_id = $1", [federationID]).first!
        let code = try federation.decode(String.self, "code")
        guard let iban = try federation.decode(String?.self, "payer_iban"), let bic = try federation.decode(String?.self, "payer_bic") else {
            throw ServiceError(.invalid, "\(code) saknar konto att betala från", code: "federation.payer-account-missing",
                arguments: ["federation": code])
        }
        var accounts: [String: PayoutAccount] = [:]
        for row in try await c.query(
            "SELECT code, name, payout_bankgiro, payout_bank_account FROM member WHERE federation_id = $1 AND code = ANY($2)",
            [federationID, Array(Set(disbursements.filter { $0.amount > .zero }.map(\.member)))]
        ).rows {
            let member = try row.decode(String.self, "code")
            if let bankgiro = try row.decode(String?.self, "payout_bankgiro"), let account = PayoutAccount(bankgiro: bankgiro) {
                accounts[member] = account
            } else if let text = try row.decode(String?.self, "payout_bank_account"), let account = PayoutAccount(bankAccount: text) {
                accounts[member] = account
            } else {
                throw ServiceError(.invalid, "\(try row.decode(String.self, "name")) saknar bankgiro eller bankkonto för utbetalningar",
                    code: "member.payout-account-missing", arguments: ["federation": code, "member": member])
            }
        }
        return PaymentParties(
            federationCode: code, debtor: CreditTransferFile.Debtor(name: try federation.decode(String.self, "name"), iban: iban, bic: bic),
            accounts: accounts)
    }

    /// A batch with its disbursements and, when `file` is set, its pain.001 file (to the accounts in `parties`, or
    /// those on record now).
    static func disbursementBatch(_ c: isolated Connection,
        _ number: Int, federationID: Int64, file: Bool, parties: PaymentParties? = nil
    ) async throws -> DisbursementBatch {
        guard let row = try await c.query(
            """
            SELECT b.message_id, b.paid_on, to_char(b.created_at AT TIME ZONE 'Europe/Stockholm', 'YYYY-MM-DD"T"HH24:MI:SS') AS created,
                   f.pain001
            FROM disbursement_batch b
            LEFT JOIN disbursement_batch_file f ON f.federation_id = b.federation_id AND f.batch_number = b.batch_number
            WHERE b.federation_id = $1 AND b.batch_number = $2
            """, [federationID, number]
        ).first else { throw ServiceError.notFound("utbetalningsbunt \(number) finns inte") }
        let paid = try await DisbursementStore.disbursements(c, federationID: federationID, batch: number)
        let messageID = try row.decode(String.self, "message_id")
        let paidOn = try row.decode(PostgresDate.self, "paid_on").calendarDate()
        // The file the batch was paid with, as stored (schema/026); written from the accounts on record only for a
        // batch paid before files were kept, or when it is being paid.
        var xml = file ? try row.decode(String?.self, "pain001") : nil
        if file && xml == nil {
            var known = parties
            if known == nil { known = try await DisbursementStore.paymentParties(c, paid, federationID: federationID) }
            let parties = known!
            xml = try CreditTransferFile(
                messageID: messageID, createdAt: try row.decode(String.self, "created"), executionDate: paidOn, debtor: parties.debtor,
                transfers: paid.filter { $0.amount > .zero }.map { d in
                    CreditTransferFile.Transfer(
                        endToEndID: "\(parties.federationCode.prefix(24))-U\(d.number)", amount: d.amount, creditorName: d.memberName,
                        account: parties.accounts[d.member]!,
                        remittance: "\(d.interventionName) \(d.halfYear), utbetalning \(d.number)")
                }
            ).xml
        }
        return DisbursementBatch(
            number: number, messageID: messageID, paidOn: paidOn, disbursements: paid,
            notInFile: paid.filter { $0.amount < .zero }.map(\.number), total: try paid.sum(\.amount), file: xml)
    }

    static func prepareDisbursements(_ c: isolated Connection,
        in federation: String, intervention: String, halfYear: HalfYear, member: String? = nil, by user: User
    ) async throws -> [PreparedDisbursement] {
        let federationID = try await FederationStore.federationID(c, federation)
        try await UserStore.requireRight(c, user, .disbursementPrepare, federationID: federationID, federation: federation)
        let funded = try await FundingDecisionStore.fundedIntervention(c, intervention, federationID: federationID)
        try await c.query("SELECT pg_advisory_xact_lock(hashtextextended('disbursement numbers ' || $1::text, 0))", [federationID])
        var onlyMember: Member?
        if let member { onlyMember = try await FundingDecisionStore.decisionMember(c, member, federationID: federationID, federation: federation) }
        let decisions = try await FundingDecisionStore.fundingDecisions(c,
            federationID: federationID, interventionID: funded.id, year: halfYear.year, half: halfYear.half,
            memberID: onlyMember?.id)
        let decided = decisions.decidedKronor
        if let onlyMember, decisions.isEmpty {
            throw ServiceError.notFound("\(onlyMember.name) har inga beslut i \(intervention) för \(halfYear)")
        }
        guard !decisions.isEmpty else { throw ServiceError.notFound("\(intervention) har inga beslut för \(halfYear)") }
        let existing = try await DisbursementStore.disbursements(c,
            federationID: federationID, interventionID: funded.id, halfYear: halfYear, memberID: onlyMember?.id, lock: true)
        var nextNumber = try await c.query(
            "SELECT coalesce(max(number), 0) + 1 FROM disbursement WHERE federation_id = $1", [federationID]).scalar(Int.self)
        var members: [(code: String, name: String)] = []
        for decision in decisions where !members.contains(where: { $0.code == decision.member }) {
            members.append((decision.member, decision.memberName))
        }
        var prepared: [PreparedDisbursement] = []
        for (code, name) in members {
            let target = Money(kronor: decided[FundingKey(intervention: intervention, member: code, halfYear: halfYear)] ?? 0)
            let mine = existing.filter { $0.member == code }
            let preparation = try DisbursementPreparation.decide(decided: target, existing: mine.map {
                DisbursementPreparation.Existing(number: $0.number, state: $0.state, amount: $0.amount, decided: $0.decided)
            })
            let open = mine.first { $0.state == .draft || $0.state == .returned }
            var line = PreparedDisbursement(
                member: code, memberName: name, decided: target, committed: preparation.committed, outcome: .unchanged,
                number: open?.number, amount: open?.amount)
            switch preparation.step {
            case .withdraw:
                if let open {
                    try await DisbursementStore.transition(c, open, to: .rejected, federationID: federationID, actor: user.name,
                        comment: "beslutet ändrat: inget kvar att betala")
                }
                line.outcome = .withdrawn
            case .update(_, let amount):
                if let open {
                    try await DisbursementStore.transition(c, open, to: open.state, federationID: federationID, actor: user.name,
                        comment: "nytt belopp \(SwedishNumberFormat.kronor(amount, wholeKronor: true)) kr efter ändrat beslut",
                        amount: amount, decided: target)
                }
                line.outcome = .updated
                line.amount = amount
            case .unchanged:
                line.outcome = .unchanged
            case .awaitingApproval:
                line.outcome = .awaitingApproval
            case .create(let amount):
                try await c.query(
                    """
                    WITH created AS (
                        INSERT INTO disbursement (federation_id, number, intervention_id, member_id, year, half, amount_ore,
                            decided_ore, prepared_by)
                        SELECT $1, $2, $3, member_id, $5, $6, $7, $8, $9 FROM member WHERE federation_id = $1 AND code = $4
                        RETURNING disbursement_id
                    )
                    INSERT INTO disbursement_transition (federation_id, disbursement_id, sequence, from_state, to_state, actor, comment)
                    SELECT $1, disbursement_id, 1, NULL, 'draft', $9, $10 FROM created
                    """,
                    [federationID, nextNumber, funded.id, code, halfYear.year, halfYear.half, amount.öre, target.öre,
                     user.name, preparation.committed == .zero ? nil : "skillnad efter ändrat beslut"])
                line.outcome = .created
                line.number = nextNumber
                line.amount = amount
                nextNumber += 1
            case .alreadyCommitted:
                line.outcome = .alreadyApproved
            case .nothingDecided:
                line.outcome = .nothingDecided
            }
            prepared.append(line)
        }
        if let onlyMember, let line = prepared.first {
            switch line.outcome {
            case .alreadyApproved:
                throw ServiceError.conflict(
                    "\(onlyMember.name) har redan \(SwedishNumberFormat.kronor(line.committed, wholeKronor: true)) kr inskickat, "
                        + "attesterat eller utbetalt för \(halfYear) och beslutet är oförändrat; inget att förbereda")
            case .awaitingApproval:
                throw ServiceError.conflict(
                    "beslutet för \(onlyMember.name) \(halfYear) har ändrats medan en utbetalning väntar på attest; "
                        + "låt förbundschefen återsända den och förbered igen")
            default: break
            }
        }
        return prepared
    }

    static func approveDisbursements(_ c: isolated Connection, _ numbers: [Int], in federation: String, by user: User) async throws -> [ApprovalOutcome] {
        guard !numbers.isEmpty else { throw ServiceError.invalid("ange minst ett utbetalningsnummer") }
        let federationID = try await FederationStore.federationID(c, federation)
        let held = try await UserStore.requireRight(c, user, .disbursementApprove, federationID: federationID, federation: federation)
        let blocks = try await c.query(
            "SELECT budget_overrun_blocks FROM federation WHERE federation_id = $1", [federationID]).scalar(Bool.self)
        var outcomes: [ApprovalOutcome] = []
        for disbursement in try await DisbursementStore.lockedDisbursements(c, numbers, federationID: federationID, federation: federation) {
            let number = disbursement.number
            let (role, complete): (Role, Bool)
            switch ApprovalFlow.approve(disbursement.flowCase, by: user.name, holding: held) {
            case .approve(let approvedAs, let completes): (role, complete) = (approvedAs, completes)
            case .refused(let refusal): throw ServiceError(refusal, number: number, federation: federation)
            }
            let spending = try await CommitmentStore.interventionSpending(c,
                federationID: federationID, year: disbursement.halfYear.year, intervention: disbursement.intervention)
            let budget = spending.first?.budget ?? .zero
            let after = try (spending.first?.approved ?? .zero) + disbursement.amount
            var warning: String?
            switch try BudgetCheck.check(
                intervention: disbursement.intervention, year: disbursement.halfYear.year, budget: budget,
                approvedBefore: spending.first?.approved ?? .zero, amount: disbursement.amount, blocksOverrun: blocks)
            {
            case .within: break
            case .over(let message): warning = message
            case .refused(let message): throw ServiceError.conflict(message)
            }
            try await c.query(
                """
                INSERT INTO disbursement_approval (federation_id, disbursement_id, submission, role, approved_by)
                SELECT federation_id, disbursement_id, submission, $3::user_role, $4 FROM disbursement
                WHERE federation_id = $1 AND number = $2
                """, [federationID, number, role.rawValue, user.name])
            if complete {
                try await DisbursementStore.transition(c, disbursement, to: .approved, federationID: federationID, actor: user.name,
                    comment: disbursement.needsChair ? "attest av förbundschef och ordförande (över delegationsgränsen)" : nil)
            }
            outcomes.append(ApprovalOutcome(
                number: number, approvedAs: role, approved: complete, budget: budget, approvedIncludingThis: after,
                warning: warning))
        }
        return outcomes
    }

    static func payDisbursements(_ c: isolated Connection,
        _ numbers: [Int]?, in federation: String, intervention: String? = nil, halfYear: HalfYear? = nil,
        on date: CalendarDate, file: Bool, by user: User
    ) async throws -> DisbursementBatch {
        let federationID = try await FederationStore.federationID(c, federation)
        try await UserStore.requireRight(c, user, .disbursementPay, federationID: federationID, federation: federation)
        let approved: [Disbursement]
        if let numbers {
            approved = try await DisbursementStore.lockedDisbursements(c, numbers, federationID: federationID, federation: federation)
            if let other = approved.first(where: { $0.state != .approved }) {
                throw ServiceError.conflict("utbetalning \(other.number) är \(other.state.swedishName); bara attesterade utbetalningar betalas ut")
            }
        } else {
            var interventionID: Int64?
            if let intervention { interventionID = try await FundingDecisionStore.fundedIntervention(c, intervention, federationID: federationID).id }
            approved = try await DisbursementStore.disbursements(c,
                federationID: federationID, interventionID: interventionID, halfYear: halfYear, state: .approved, lock: true)
        }
        guard !approved.isEmpty else { throw ServiceError.notFound("det finns inga attesterade utbetalningar att betala ut") }
        // Checked before anything is written: a batch is paid with its file or not at all.
        let parties = file ? try await DisbursementStore.paymentParties(c, approved, federationID: federationID) : nil
        let batch = try await c.query(
            """
            INSERT INTO disbursement_batch (federation_id, batch_number, paid_on, message_id, paid_by)
            SELECT $1, n, $2, 'FINSAM-' || $1 || '-' || n || '-' || to_char($2::date, 'YYYYMMDD'), $3
            FROM (SELECT coalesce(max(batch_number), 0) + 1 AS n FROM disbursement_batch WHERE federation_id = $1) next
            RETURNING batch_number
            """, [federationID, PostgresDate(date), user.name]).scalar(Int.self)
        // The cost account (grants to interventions at members), the bank account it is paid from, and the account a
        // claim back waits on until the member repays: settings of the federation (PostingPurpose).
        let accounts = try await PostingAccountStore.postingAccounts(c, federationID: federationID)
        for disbursement in approved {
            let claim = disbursement.amount < .zero
            let text = "\(claim ? "Återkrav" : "Utbetalning") \(disbursement.number) \(disbursement.interventionName), "
                + "\(disbursement.memberName) \(disbursement.halfYear)"
            let draft = VoucherDraft(date: date, series: Disbursements.voucherSeries, text: text, lines: [
                .init(account: accounts.disbursementCost, amount: disbursement.amount, intervention: disbursement.intervention,
                      member: disbursement.member),
                claim ? .init(account: accounts.claims, amount: -disbursement.amount, member: disbursement.member)
                    : .init(account: accounts.bank, amount: -disbursement.amount),
            ])
            let voucher = try await VoucherStore.insertVoucher(c,
                draft, federationID: federationID, source: .disbursement, sourceReference: "utbetalning \(disbursement.number)",
                idempotencyKey: nil, reverses: nil, postedBy: user.name)
            try await DisbursementStore.transition(c, disbursement, to: .paid, federationID: federationID, actor: user.name,
                comment: "verifikation \(voucher.voucher.reference), bunt \(batch)", paidIn: batch, voucherID: voucher.id)
        }
        let paid = try await DisbursementStore.disbursementBatch(c, batch, federationID: federationID, file: file, parties: parties)
        if let xml = paid.file {
            try await c.query("INSERT INTO disbursement_batch_file (federation_id, batch_number, pain001) VALUES ($1, $2, $3)",
                [federationID, batch, xml])
        }
        return paid
    }

    static func submitDisbursements(_ c: isolated Connection, _ numbers: [Int], in federation: String, by user: User) async throws -> [Disbursement] {
        try await DisbursementStore.moveDisbursements(c, numbers, in: federation, to: .submitted, as: .disbursementSubmit, comment: nil, by: user)
    }

    static func returnDisbursements(_ c: isolated Connection, _ numbers: [Int], in federation: String, comment: String, by user: User) async throws -> [Disbursement] {
        try await DisbursementStore.moveDisbursements(c, numbers, in: federation, to: .returned, as: .disbursementReturn, comment: comment, by: user)
    }

    static func rejectDisbursements(_ c: isolated Connection, _ numbers: [Int], in federation: String, comment: String, by user: User) async throws -> [Disbursement] {
        try await DisbursementStore.moveDisbursements(c, numbers, in: federation, to: .rejected, as: .disbursementReject, comment: comment, by: user)
    }

    private static func moveDisbursements(_ c: isolated Connection,
        _ numbers: [Int], in federation: String, to state: DisbursementState, as useCase: UseCase, comment: String?, by user: User
    ) async throws -> [Disbursement] {
        try PlainText.require(comment, "kommentaren", limit: PlainText.commentLimit, multiline: true)
        if let comment, comment.trimmingSpaces.isEmpty { throw ServiceError(.invalid, "ange en kommentar som säger varför", code: "disbursement.comment-missing") }
        guard !numbers.isEmpty else { throw ServiceError.invalid("ange minst ett utbetalningsnummer") }
        let federationID = try await FederationStore.federationID(c, federation)
        let held = try await UserStore.requireRight(c, user, useCase, federationID: federationID, federation: federation)
        let found = try await DisbursementStore.lockedDisbursements(c, numbers, federationID: federationID, federation: federation)
        for disbursement in found {
            if let refusal = ApprovalFlow.move(disbursement.flowCase, to: state, by: user.name, holding: held) {
                throw ServiceError(refusal, number: disbursement.number, federation: federation)
            }
            try await DisbursementStore.transition(c, disbursement, to: state, federationID: federationID, actor: user.name, comment: comment)
        }
        return try await DisbursementStore.disbursements(c, federationID: federationID, numbers: numbers)
    }
}

extension Disbursement {
    /// What the approval flow (FinsamCore) needs to know of it.
    var flowCase: ApprovalFlow.Case {
        var authors: Set<String> = [preparedBy]
        for transition in transitions where transition.to == .submitted || transition.from == nil || transition.from == transition.to {
            authors.insert(transition.actor)
        }
        return ApprovalFlow.Case(
            state: state, needsChair: needsChair, preparedOrSubmittedBy: authors,
            approvals: Dictionary(currentApprovals.map { ($0.role, $0.by) }, uniquingKeysWith: { first, _ in first }),
            approvedBy: transitions.last { $0.to == .approved }?.actor)
    }
}

extension ServiceError {
    /// The approval flow's refusal: forbidden when the actor may not, a conflict when the disbursement is not in the
    /// state for it.
    init(_ refusal: ApprovalFlow.Refusal, number: Int, federation: String) {
        self.init(refusal.isForbidden ? .forbidden : .conflict, refusal.message(number: number, federation: federation))
    }
}
