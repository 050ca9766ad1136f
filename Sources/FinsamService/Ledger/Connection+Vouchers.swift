import FinsamCore
import Postgres

extension Connection {
    /// Checks a draft against the federation's chart, interventions, members and locks (so that the user gets
    /// a message naming the line), then inserts it. The database's triggers check the same rules again.
    func insertVoucher(
        _ draft: VoucherDraft, federationID: Int64, source: VoucherSource, sourceReference: String?,
        idempotencyKey: String?, reverses: Int64?, postedBy: String
    ) async throws -> Int64 {
        let interventionIDs = try await interventionIDs(Set(draft.lines.compactMap(\.intervention)), federationID: federationID)
        let memberIDs = try await memberIDs(Set(draft.lines.compactMap(\.member)), federationID: federationID)
        let accountHasCategory = try await accountCategories(Set(draft.lines.map(\.account)), federationID: federationID)
        for (index, line) in draft.lines.enumerated() {
            let lineNumber = index + 1
            guard let hasCategory = accountHasCategory[line.account] else {
                throw ServiceError.invalid("rad \(lineNumber): konto \(line.account) finns inte i förbundets kontoplan")
            }
            if let code = line.intervention, interventionIDs[code] == nil {
                throw ServiceError.invalid("rad \(lineNumber): insatsen \"\(code)\" finns inte i förbundet")
            }
            if let code = line.member, memberIDs[code] == nil {
                throw ServiceError.invalid("rad \(lineNumber): medlemmen \"\(code)\" finns inte i förbundet")
            }
            if AccountClass(accountNumber: line.account) == .cost, line.intervention == nil, !hasCategory {
                throw ServiceError.invalid(
                    "rad \(lineNumber): konto \(line.account) är ett kostnadskonto utan kostnadskategori; ange vilken insats kostnaden gäller")
            }
        }
        let locked = try await query(
            """
            SELECT EXISTS (SELECT 1 FROM period_lock WHERE federation_id = $1 AND fiscal_year = $2
                           AND (month IS NULL OR month = $3))
            """, [federationID, draft.date.year, draft.date.month]
        ).scalar(Bool.self)
        if locked {
            throw ServiceError.conflict(
                "perioden \(draft.date.year)-\(draft.date.month < 10 ? "0" : "")\(draft.date.month) är låst; ingen verifikation kan dateras \(draft.date)")
        }
        let voucherID = try await query(
            """
            INSERT INTO voucher (federation_id, series, voucher_date, text, source, source_reference, posted_by,
                                 idempotency_key, reverses_voucher_id)
            VALUES ($1, $2, $3, $4, $5::voucher_source, $6, $7, $8, $9) RETURNING voucher_id
            """,
            [federationID, draft.series, PostgresDate(draft.date), draft.text, source.rawValue, sourceReference,
             postedBy, idempotencyKey, reverses]
        ).scalar(Int64.self)
        try await query(
            """
            INSERT INTO voucher_line (federation_id, voucher_id, line_number, account_number, amount_ore,
                                      intervention_id, member_id, text)
            SELECT $1, $2, n, account, amount, intervention, member, text
            FROM unnest($3::int8[], $4::int8[], $5::int8[], $6::int8[], $7::text[]) WITH ORDINALITY
                AS t (account, amount, intervention, member, text, n)
            """,
            [federationID, voucherID, draft.lines.map { Int64($0.account) }, draft.lines.map(\.amount.öre),
             draft.lines.map { $0.intervention.flatMap { interventionIDs[$0] } },
             draft.lines.map { $0.member.flatMap { memberIDs[$0] } }, draft.lines.map(\.text)])
        return voucherID
    }

    func voucherID(_ reference: VoucherReference, federationID: Int64) async throws -> Int64 {
        let result = try await query(
            "SELECT voucher_id FROM voucher WHERE federation_id = $1 AND fiscal_year = $2 AND series = $3 AND number = $4",
            [federationID, reference.year, reference.series, reference.number])
        guard let row = result.first else { throw ServiceError.notFound("verifikation \(reference) finns inte") }
        return try row.decode(Int64.self, at: 0)
    }

    func loadVoucher(federationID: Int64, id: Int64) async throws -> PostedVoucher {
        guard let voucher = try await loadVouchers(federationID: federationID, ids: [id]).first else {
            throw ServiceError.notFound("verifikationen finns inte")
        }
        return voucher
    }

    /// Vouchers with their lines, in the order of `ids`: two queries, whatever the number of vouchers.
    func loadVouchers(federationID: Int64, ids: [Int64]) async throws -> [PostedVoucher] {
        guard !ids.isEmpty else { return [] }
        let heads = try await query(
            """
            SELECT v.voucher_id, v.fiscal_year, v.series, v.number, v.voucher_date, v.text, v.source::text,
                   v.source_reference, v.posted_by, to_char(v.posted_at, 'YYYY-MM-DD"T"HH24:MI:SSOF') AS posted_at,
                   o.fiscal_year AS o_year, o.series AS o_series, o.number AS o_number,
                   r.fiscal_year AS r_year, r.series AS r_series, r.number AS r_number
            FROM voucher v
            LEFT JOIN voucher o ON o.federation_id = v.federation_id AND o.voucher_id = v.reverses_voucher_id
            LEFT JOIN voucher r ON r.federation_id = v.federation_id AND r.reverses_voucher_id = v.voucher_id
            WHERE v.federation_id = $1 AND v.voucher_id = ANY($2)
            """, [federationID, ids])
        let lines = try await query(
            """
            SELECT l.voucher_id, l.account_number, a.name, l.amount_ore, i.code AS intervention, m.code AS member, l.text
            FROM voucher_line l
            JOIN account a ON a.federation_id = l.federation_id AND a.account_number = l.account_number
            LEFT JOIN intervention i ON i.federation_id = l.federation_id AND i.intervention_id = l.intervention_id
            LEFT JOIN member m ON m.federation_id = l.federation_id AND m.member_id = l.member_id
            WHERE l.federation_id = $1 AND l.voucher_id = ANY($2)
            ORDER BY l.voucher_id, l.line_number
            """, [federationID, ids])
        var linesByVoucher: [Int64: [PostedVoucher.Line]] = [:]
        for row in lines.rows {
            linesByVoucher[try row.decode(Int64.self, "voucher_id"), default: []].append(PostedVoucher.Line(
                account: try row.decode(Int.self, "account_number"), accountName: try row.decode(String.self, "name"),
                amount: Money(öre: try row.decode(Int64.self, "amount_ore")),
                intervention: try row.decode(String?.self, "intervention"), member: try row.decode(String?.self, "member"),
                text: try row.decode(String?.self, "text")))
        }
        var byID: [Int64: PostedVoucher] = [:]
        for row in heads.rows {
            let id = try row.decode(Int64.self, "voucher_id")
            func reference(_ prefix: String) throws -> VoucherReference? {
                guard let year = try row.decode(Int?.self, prefix + "year") else { return nil }
                return VoucherReference(
                    year: year, series: try row.decode(String.self, prefix + "series"),
                    number: try row.decode(Int.self, prefix + "number"))
            }
            byID[id] = PostedVoucher(
                reference: VoucherReference(
                    year: try row.decode(Int.self, "fiscal_year"), series: try row.decode(String.self, "series"),
                    number: try row.decode(Int.self, "number")),
                date: try row.decode(PostgresDate.self, "voucher_date").calendarDate(),
                text: try row.decode(String.self, "text"), source: try row.decode(String.self, "source"),
                sourceReference: try row.decode(String?.self, "source_reference"),
                postedBy: try row.decode(String.self, "posted_by"), postedAt: try row.decode(String.self, "posted_at"),
                reverses: try reference("o_"), reversedBy: try reference("r_"), lines: linesByVoucher[id] ?? [])
        }
        return ids.compactMap { byID[$0] }
    }
}
