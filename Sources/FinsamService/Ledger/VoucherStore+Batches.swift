import FinsamCore
import Postgres

extension VoucherStore {
    /// A voucher of a batch: the draft, where it came from, and a source reference unique within the batch.
    struct BatchVoucher: Sendable {
        var draft: VoucherDraft
        var source: VoucherSource
        var reference: String
    }

    /// Inserts many vouchers (an import's) in batches of about `linesPerBatch` lines: per batch one round trip for
    /// the vouchers and one for all their lines, so that the database's statement trigger updates the balances once
    /// per batch rather than once per voucher. The checks `insertVoucher` makes per voucher are made once for all
    /// (accounts, interventions, members, locked periods), each problem named by the voucher's reference. The
    /// triggers check the same rules again. Each draft must have been validated (balanced, within the limits).
    static func insertVouchers(_ c: isolated Connection,
        _ vouchers: [BatchVoucher], federationID: Int64, postedBy: String, linesPerBatch: Int = 20_000
    ) async throws {
        guard !vouchers.isEmpty else { return }
        let hasMeaning = try await CodeStore.accountsWithMeaning(c,
            Set(vouchers.flatMap { $0.draft.lines.map(\.account) }), federationID: federationID)
        let interventionIDs = try await CodeStore.interventionIDs(c,
            Set(vouchers.flatMap { $0.draft.lines.compactMap(\.intervention) }), federationID: federationID)
        let memberIDs = try await CodeStore.memberIDs(c, Set(vouchers.flatMap { $0.draft.lines.compactMap(\.member) }), federationID: federationID)
        var locks: Set<Int> = []
        for row in try await c.query("SELECT fiscal_year, coalesce(month, 0) FROM period_lock WHERE federation_id = $1", [federationID]).rows {
            locks.insert(try row.decode(Int.self, at: 0) * 100 + (try row.decode(Int.self, at: 1)))
        }
        for voucher in vouchers {
            let date = voucher.draft.date
            if locks.contains(date.year * 100) || locks.contains(date.year * 100 + date.month) {
                throw ServiceError.conflict("\(voucher.reference): perioden \(date.year)-\(date.month < 10 ? "0" : "")\(date.month) är låst")
            }
            if let problem = Self.lineProblem(voucher.draft, hasMeaning: hasMeaning, interventions: interventionIDs, members: memberIDs) {
                throw ServiceError.invalid("\(voucher.reference) \(problem)")
            }
        }

        var start = 0
        while start < vouchers.count {
            var end = start
            var lines = 0
            while end < vouchers.count && (end == start || lines + vouchers[end].draft.lines.count <= linesPerBatch) {
                lines += vouchers[end].draft.lines.count
                end += 1
            }
            let batch = vouchers[start..<end]
            start = end
            // The vouchers in the batch's order, so that the numbering trigger numbers each series in file order;
            // their ids come back with the source reference, unique within the batch.
            var ids: [String: Int64] = [:]
            for row in try await c.query(
                """
                INSERT INTO voucher (federation_id, series, voucher_date, text, source, source_reference, posted_by)
                SELECT $1, series, day::date, text, source::voucher_source, reference, $7
                FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[]) WITH ORDINALITY
                    AS t (series, day, text, source, reference, n)
                ORDER BY n
                RETURNING source_reference, voucher_id
                """,
                [federationID, batch.map(\.draft.series), batch.map(\.draft.date.description), batch.map(\.draft.text),
                 batch.map(\.source.rawValue), batch.map(\.reference), postedBy]
            ).rows {
                ids[try row.decode(String.self, at: 0)] = try row.decode(Int64.self, at: 1)
            }
            guard ids.count == batch.count else {
                throw ServiceError(.unavailable, "verifikationerna fick inte var sin källhänvisning (\(ids.count) av \(batch.count))")
            }
            var voucherIDs: [Int64] = [], numbers: [Int32] = [], accounts: [Int32] = [], amounts: [Int64] = []
            var interventions: [Int64?] = [], members: [Int64?] = [], texts: [String?] = []
            voucherIDs.reserveCapacity(lines)
            for voucher in batch {
                let id = ids[voucher.reference]!
                for (index, line) in voucher.draft.lines.enumerated() {
                    voucherIDs.append(id)
                    numbers.append(Int32(index + 1))
                    accounts.append(Int32(line.account))
                    amounts.append(line.amount.öre)
                    interventions.append(line.intervention.flatMap { interventionIDs[$0] })
                    members.append(line.member.flatMap { memberIDs[$0] })
                    texts.append(line.text)
                }
            }
            try await c.query(
                """
                INSERT INTO voucher_line (federation_id, voucher_id, line_number, account_number, amount_ore,
                                          intervention_id, member_id, text)
                SELECT $1, voucher, number, account, amount, intervention, member, text
                FROM unnest($2::int8[], $3::int4[], $4::int4[], $5::int8[], $6::int8[], $7::int8[], $8::text[])
                    AS t (voucher, number, account, amount, intervention, member, text)
                """, [federationID, voucherIDs, numbers, accounts, amounts, interventions, members, texts])
        }
    }
}
