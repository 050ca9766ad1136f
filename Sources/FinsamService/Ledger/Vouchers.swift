public import Foundation
public import FinsamCore
import Postgres

/// Verifikation as posted: immutable, numbered, with where it came from and who posted it.
public struct PostedVoucher: Sendable, Codable, Equatable {
    public struct Line: Sendable, Codable, Equatable {
        public var account: Int
        public var accountName: String
        public var amount: Money
        public var intervention: String?
        public var member: String?
        public var text: String?
    }

    public var reference: VoucherReference
    public var date: CalendarDate
    public var text: String
    public var source: String
    public var sourceReference: String?
    public var postedBy: String
    public var postedAt: Date
    /// The voucher this one reverses, and the one that reversed this one.
    public var reverses: VoucherReference?
    public var reversedBy: VoucherReference?
    public var lines: [Line]

    /// The sum of the debit lines: the voucher's amount as bookkeepers state it.
    public var amount: Money { get throws { try lines.filter { $0.amount > .zero }.sum(\.amount) } }
}

/// Where a voucher comes from (DOMAIN.md, The ledger: "every voucher says where it came from").
public enum VoucherSource: String, Sendable, Codable {
    case manual, invoice, payment, disbursement, `import`, opening, reversal, closing
}

public struct Vouchers: Sendable {
    let database: Database

    public init(_ database: Database) { self.database = database }

    /// Posts a balanced voucher. With an idempotency key, posting the same voucher again returns the first
    /// one unchanged; the same key with other content is refused.
    public func post(
        _ draft: VoucherDraft, to federation: String, source: VoucherSource = .manual, sourceReference: String? = nil,
        idempotencyKey: String? = nil, by user: User
    ) async throws -> PostedVoucher {
        do { try draft.validate() } catch { throw ServiceError.invalid(error.description) }
        return try await database.write(user, .voucherPost, in: federation) { c in
            let federationID = try await FederationStore.federationID(c, federation)
            if let idempotencyKey {
                let existing = try await c.query(
                    "SELECT voucher_id FROM voucher WHERE federation_id = $1 AND idempotency_key = $2",
                    [federationID, idempotencyKey])
                if let row = existing.first {
                    let original = try await VoucherStore.loadVoucher(c, federationID: federationID, id: try row.decode(Int64.self, at: 0))
                    guard original.matches(draft) else {
                        throw ServiceError.conflict(
                            "idempotensnyckeln \"\(idempotencyKey)\" användes redan för verifikation \(original.reference) med annat innehåll")
                    }
                    return original
                }
            }
            return try await VoucherStore.insertVoucher(c,
                draft, federationID: federationID, source: source, sourceReference: sourceReference,
                idempotencyKey: idempotencyKey, reverses: nil, postedBy: user.name
            ).voucher
        }
    }

    /// Reverses a voucher with a new one of opposite amounts (DOMAIN.md: posted vouchers are immutable).
    /// Dated `date`, or the original's date when none is given.
    public func reverse(
        _ reference: VoucherReference, in federation: String, date: CalendarDate?, by user: User
    ) async throws -> PostedVoucher {
        try await database.write(user, .voucherReverse, in: federation) { c in
            let federationID = try await FederationStore.federationID(c, federation)
            let originalID = try await VoucherStore.voucherID(c, reference, federationID: federationID)
            let original = try await VoucherStore.loadVoucher(c, federationID: federationID, id: originalID)
            // An invoice's or a payment's voucher is reversed with its document, so the two never disagree.
            switch original.source {
            case "invoice":
                throw ServiceError(.invalid, "verifikation \(reference) hör till en faktura och vänds genom att fakturan krediteras",
                    code: "voucher.belongs-to-invoice", arguments: ["voucher": reference.description])
            case "payment":
                throw ServiceError(.invalid, "verifikation \(reference) är en inbetalning och vänds genom att betalningen återförs",
                    code: "voucher.belongs-to-payment", arguments: ["voucher": reference.description])
            default: break
            }
            return try await VoucherStore.reverseVoucher(c,
                original, id: originalID, federationID: federationID, on: date ?? original.date,
                text: "Vändning av \(original.reference): \(original.text)", postedBy: user.name
            ).voucher
        }
    }

    public func find(_ reference: VoucherReference, in federation: String, by user: User) async throws -> PostedVoucher {
        try await database.read(user, .voucherRead, in: federation) { c in
            let federationID = try await FederationStore.federationID(c, federation)
            return try await VoucherStore.loadVoucher(c, federationID: federationID, id: try await VoucherStore.voucherID(c, reference, federationID: federationID))
        }
    }

    /// The vouchers of a year (optionally one series and a date range), in number order, with their lines.
    public func list(
        in federation: String, year: Int, series: String? = nil, from: CalendarDate? = nil, to: CalendarDate? = nil,
        by user: User
    ) async throws -> [PostedVoucher] {
        try await database.read(user, .voucherRead, in: federation) { c in
            let federationID = try await FederationStore.federationID(c, federation)
            let ids = try await c.query(
                """
                SELECT voucher_id FROM voucher
                WHERE federation_id = $1 AND fiscal_year = $2 AND ($3::text IS NULL OR series = $3)
                  AND ($4::date IS NULL OR voucher_date >= $4) AND ($5::date IS NULL OR voucher_date <= $5)
                ORDER BY series, number
                """, [federationID, year, series, from.map(PostgresDate.init), to.map(PostgresDate.init)]
            ).rows.map { try $0.decode(Int64.self, at: 0) }
            return try await VoucherStore.loadVouchers(c, federationID: federationID, ids: ids)
        }
    }
}

extension PostedVoucher {
    /// The draft this voucher was posted from (codes, not ids), to compare and to reverse.
    var draft: VoucherDraft {
        VoucherDraft(
            date: date, series: reference.series, text: text,
            lines: lines.map { VoucherDraft.Line(account: $0.account, amount: $0.amount, intervention: $0.intervention,
                member: $0.member, text: $0.text) })
    }

    func matches(_ other: VoucherDraft) -> Bool {
        let mine = draft
        return mine.date == other.date && mine.series == other.series && mine.text == other.text
            && mine.lines.map { [String($0.account), $0.amount.description, $0.intervention ?? "", $0.member ?? ""] }
                == other.lines.map { [String($0.account), $0.amount.description, $0.intervention ?? "", $0.member ?? ""] }
    }
}

extension VoucherStore {
    /// Posts the reversal of `original` (voucher `id`), within the caller's transaction. Refused for a voucher
    /// already reversed or itself a reversal.
    static func reverseVoucher(_ c: isolated Connection,
        _ original: PostedVoucher, id: Int64, federationID: Int64, on date: CalendarDate, text: String, postedBy: String
    ) async throws -> InsertedVoucher {
        if let reversedBy = original.reversedBy {
            throw ServiceError.conflict("verifikation \(original.reference) är redan vänd av \(reversedBy)")
        }
        if original.reverses != nil {
            throw ServiceError.invalid("verifikation \(original.reference) är själv en vändning; bokför en ny verifikation i stället")
        }
        var reversal = try await VoucherStore.insertVoucher(c,
            original.draft.reversal(on: date, text: text), federationID: federationID, source: .reversal,
            sourceReference: original.reference.description, idempotencyKey: nil, reverses: id, postedBy: postedBy)
        reversal.voucher.reverses = original.reference
        return reversal
    }
}
