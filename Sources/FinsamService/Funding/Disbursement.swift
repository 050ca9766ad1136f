public import Foundation
public import FinsamCore
import Postgres

/// A disbursement to a member under the decisions of one intervention and half-year, with its approvals and every
/// change of state.
public struct Disbursement: Sendable, Codable, Equatable {
    public struct Approval: Sendable, Codable, Equatable {
        public var submission: Int
        public var role: Role
        public var by: String
        public var at: Date
    }

    public struct Transition: Sendable, Codable, Equatable {
        public var sequence: Int
        public var from: DisbursementState?
        public var to: DisbursementState
        public var actor: String
        public var at: Date
        public var comment: String?
    }

    public var number: Int
    public var intervention: String
    public var interventionName: String
    public var member: String
    public var memberName: String
    public var halfYear: HalfYear
    /// What this disbursement pays (negative: a claim back after a decision was lowered).
    public var amount: Money
    /// The half-year's decided amount when it was prepared.
    public var decided: Money
    public var state: DisbursementState
    public var submission: Int
    public var preparedBy: String
    /// Above the federation's delegation limit: the chair approves as well as the director.
    public var needsChair: Bool
    public var batch: Int?
    public var voucher: VoucherReference?
    public var approvals: [Approval]
    public var transitions: [Transition]

    /// The approvals of the current round (earlier rounds ended with a return).
    public var currentApprovals: [Approval] { approvals.filter { $0.submission == submission } }
}

/// The SQL of disbursements: loading them with their approvals and transitions, moving them through their states,
/// their batches and the parties a payment file names (each step of the flow is ApprovalFlow's to decide).
enum DisbursementStore {
    /// Disbursements of a federation, by number, batch or filters, with approvals and transitions: three queries
    /// with the same filter, sent together in one round trip (pipeline mode).
    ///
    /// The first query decides which disbursements there are; the other two can only find more, never fewer, of
    /// theirs. A disbursement's number, intervention, half-year, member and batch never change once set; its state
    /// does, but a state filter is used within one snapshot (REPEATABLE READ) or with the rows locked (`lock`), so a
    /// disbursement found keeps its state for all three. What a later statement of a READ COMMITTED transaction
    /// sees of a disbursement that has only just come to match the filter is left out.
    static func disbursements(_ c: isolated Connection,
        federationID: Int64, numbers: [Int]? = nil, interventionID: Int64? = nil, halfYear: HalfYear? = nil,
        year: Int? = nil, memberID: Int64? = nil, state: DisbursementState? = nil, batch: Int? = nil, lock: Bool = false
    ) async throws -> [Disbursement] {
        let filter = """
            d.federation_id = $1 AND ($2::int4[] IS NULL OR d.number = ANY($2)) AND ($3::int8 IS NULL OR d.intervention_id = $3)
              AND ($4::int4 IS NULL OR d.year = $4) AND ($5::int4 IS NULL OR d.half = $5) AND ($6::int8 IS NULL OR d.member_id = $6)
              AND ($7::text IS NULL OR d.state::text = $7) AND ($8::int4 IS NULL OR d.batch_number = $8)
            """
        let parameters: [any PostgresEncodable] = [federationID, numbers.map { $0.map(Int64.init) }, interventionID,
            year ?? halfYear?.year, halfYear?.half, memberID, state?.rawValue, batch]
        let results = try await c.pipeline([
            PostgresStatement(
                """
                SELECT d.disbursement_id, d.number, i.code AS intervention, i.name AS intervention_name, m.code AS member,
                       m.name AS member_name, d.year, d.half, d.amount_ore, d.decided_ore, d.state::text AS state, d.submission,
                       d.prepared_by, d.batch_number, v.fiscal_year, v.series, v.number AS voucher_number,
                       f.delegation_limit_ore IS NOT NULL AND abs(d.amount_ore) > f.delegation_limit_ore AS needs_chair
                FROM disbursement d
                JOIN federation f ON f.federation_id = d.federation_id
                JOIN intervention i ON i.federation_id = d.federation_id AND i.intervention_id = d.intervention_id
                JOIN member m ON m.federation_id = d.federation_id AND m.member_id = d.member_id
                LEFT JOIN voucher v ON v.federation_id = d.federation_id AND v.voucher_id = d.voucher_id
                WHERE \(filter)
                ORDER BY d.number
                \(lock ? "FOR UPDATE OF d" : "")
                """, parameters),
            PostgresStatement(
                """
                SELECT a.disbursement_id, a.submission, a.role::text AS role, a.approved_by, a.approved_at AS at
                FROM disbursement_approval a
                JOIN disbursement d ON d.federation_id = a.federation_id AND d.disbursement_id = a.disbursement_id
                WHERE \(filter)
                ORDER BY a.approved_at, a.role
                """, parameters),
            PostgresStatement(
                """
                SELECT t.disbursement_id, t.sequence, t.from_state::text AS from_state, t.to_state::text AS to_state, t.actor,
                       t.comment, t.at
                FROM disbursement_transition t
                JOIN disbursement d ON d.federation_id = t.federation_id AND d.disbursement_id = t.disbursement_id
                WHERE \(filter)
                ORDER BY t.disbursement_id, t.sequence
                """, parameters),
        ])
        let (rows, approvals, transitions) = (results[0], results[1], results[2])
        guard !rows.rows.isEmpty else { return [] }
        var ids: [Int64] = []
        var found: [Disbursement] = []
        found.reserveCapacity(rows.rows.count)
        for row in rows.rows {
            ids.append(try row.decode(Int64.self, "disbursement_id"))
            let voucherNumber = try row.decode(Int?.self, "voucher_number")
            found.append(Disbursement(
                number: try row.decode(Int.self, "number"), intervention: try row.decode(String.self, "intervention"),
                interventionName: try row.decode(String.self, "intervention_name"), member: try row.decode(String.self, "member"),
                memberName: try row.decode(String.self, "member_name"),
                halfYear: HalfYear(year: try row.decode(Int.self, "year"), half: try row.decode(Int.self, "half"))!,
                amount: Money(öre: try row.decode(Int64.self, "amount_ore")),
                decided: Money(öre: try row.decode(Int64.self, "decided_ore")),
                state: try .stored(rawValue: try row.decode(String.self, "state")),
                submission: try row.decode(Int.self, "submission"), preparedBy: try row.decode(String.self, "prepared_by"),
                needsChair: try row.decode(Bool.self, "needs_chair"), batch: try row.decode(Int?.self, "batch_number"),
                voucher: try voucherNumber.map {
                    VoucherReference(year: try row.decode(Int.self, "fiscal_year"), series: try row.decode(String.self, "series"), number: $0)
                },
                approvals: [], transitions: []))
        }
        let index = Dictionary(uniqueKeysWithValues: ids.enumerated().map { ($1, $0) })
        for row in approvals.rows {
            guard let at = index[try row.decode(Int64.self, "disbursement_id")] else { continue }
            found[at].approvals.append(Disbursement.Approval(
                submission: try row.decode(Int.self, "submission"), role: try .stored(rawValue: try row.decode(String.self, "role")),
                by: try row.decode(String.self, "approved_by"), at: try row.decode(Date.self, "at")))
        }
        for row in transitions.rows {
            guard let at = index[try row.decode(Int64.self, "disbursement_id")] else { continue }
            found[at].transitions.append(Disbursement.Transition(
                sequence: try row.decode(Int.self, "sequence"),
                from: try row.decode(String?.self, "from_state").map { try DisbursementState.stored(rawValue: $0) },
                to: try .stored(rawValue: try row.decode(String.self, "to_state")),
                actor: try row.decode(String.self, "actor"), at: try row.decode(Date.self, "at"),
                comment: try row.decode(String?.self, "comment")))
        }
        return found
    }

    /// Records a change of a disbursement: the new state (and round, amount; when paid, its batch and voucher), and
    /// the transition row, together.
    static func transition(_ c: isolated Connection,
        _ disbursement: Disbursement, to state: DisbursementState, federationID: Int64, actor: String, comment: String?,
        amount: Money? = nil, decided: Money? = nil, paidIn batch: Int? = nil, voucherID: Int64? = nil
    ) async throws {
        let submission = state == .submitted && disbursement.state != .submitted ? disbursement.submission + 1 : disbursement.submission
        try await c.query(
            """
            WITH changed AS (
                UPDATE disbursement SET state = $3::disbursement_state, submission = $4, amount_ore = $5, decided_ore = $6,
                    prepared_by = CASE WHEN $3::disbursement_state = state THEN $7 ELSE prepared_by END,
                    batch_number = coalesce($10, batch_number), voucher_id = coalesce($11, voucher_id)
                WHERE federation_id = $1 AND number = $2
                RETURNING disbursement_id, state
            )
            INSERT INTO disbursement_transition (federation_id, disbursement_id, sequence, from_state, to_state, actor, comment)
            SELECT $1, c.disbursement_id,
                   (SELECT coalesce(max(sequence), 0) + 1 FROM disbursement_transition t
                    WHERE t.federation_id = $1 AND t.disbursement_id = c.disbursement_id),
                   $8::disbursement_state, $3::disbursement_state, $7, $9
            FROM changed c
            """,
            [federationID, disbursement.number, state.rawValue, submission, (amount ?? disbursement.amount).öre,
             (decided ?? disbursement.decided).öre, actor, disbursement.state.rawValue, comment, batch, voucherID])
    }
}
