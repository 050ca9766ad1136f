import Foundation
import FinsamCore
import Postgres

/// The SQL of vouchers: posting one or a batch, and loading them with their lines.
enum VoucherStore {
    /// A voucher as inserted: its id and the posted voucher, built from the draft and what the insert returned
    /// (so that posting does not read the voucher back).
    struct InsertedVoucher {
        var id: Int64
        var voucher: PostedVoucher
    }

    /// Checks a draft against the federation's chart, interventions, members and locks (so that the user gets
    /// a message naming the line), then inserts it. The database's triggers check the same rules again.
    /// Three round trips: one for every check, one for the voucher, one for its lines.
    @discardableResult
    static func insertVoucher(_ c: isolated Connection,
        _ draft: VoucherDraft, federationID: Int64, source: VoucherSource, sourceReference: String?,
        idempotencyKey: String?, reverses: Int64?, postedBy: String
    ) async throws -> InsertedVoucher {
        var accounts: [Int: (name: String, hasCategory: Bool)] = [:]
        var interventionIDs: [String: Int64] = [:]
        var memberIDs: [String: Int64] = [:]
        var locked = false
        for row in try await c.query(
            """
            SELECT 'account' AS kind, account_number::text AS key, NULL::int8 AS id, name,
                   cost_category IS NOT NULL OR intervention_id IS NOT NULL AS flag
            FROM account WHERE federation_id = $1 AND account_number = ANY($2::int8[])
            UNION ALL
            SELECT 'intervention', code, intervention_id, NULL, NULL FROM intervention
            WHERE federation_id = $1 AND code = ANY($3::text[])
            UNION ALL
            SELECT 'member', code, member_id, NULL, NULL FROM member WHERE federation_id = $1 AND code = ANY($4::text[])
            UNION ALL
            SELECT 'locked', NULL, NULL, NULL, NULL WHERE EXISTS (
                SELECT 1 FROM period_lock WHERE federation_id = $1 AND fiscal_year = $5 AND (month IS NULL OR month = $6))
            """,
            [federationID, Array(Set(draft.lines.map { Int64($0.account) })), Array(Set(draft.lines.compactMap(\.intervention))),
             Array(Set(draft.lines.compactMap(\.member))), draft.date.year, draft.date.month]
        ).rows {
            switch try row.decode(String.self, "kind") {
            case "account":
                accounts[Int(try row.decode(String.self, "key"))!] = (try row.decode(String.self, "name"), try row.decode(Bool.self, "flag"))
            case "intervention": interventionIDs[try row.decode(String.self, "key")] = try row.decode(Int64.self, "id")
            case "member": memberIDs[try row.decode(String.self, "key")] = try row.decode(Int64.self, "id")
            default: locked = true
            }
        }
        if let problem = Self.lineProblem(draft, hasMeaning: accounts.mapValues(\.hasCategory), interventions: interventionIDs,
            members: memberIDs)
        {
            throw ServiceError.invalid(problem)
        }
        if locked {
            throw ServiceError.conflict(
                "perioden \(draft.date.year)-\(draft.date.month < 10 ? "0" : "")\(draft.date.month) är låst; ingen verifikation kan dateras \(draft.date)")
        }
        let inserted = try await c.query(
            """
            INSERT INTO voucher (federation_id, series, voucher_date, text, source, source_reference, posted_by,
                                 idempotency_key, reverses_voucher_id)
            VALUES ($1, $2, $3, $4, $5::voucher_source, $6, $7, $8, $9)
            RETURNING voucher_id, fiscal_year, number, posted_at
            """,
            [federationID, draft.series, PostgresDate(draft.date), draft.text, source.rawValue, sourceReference,
             postedBy, idempotencyKey, reverses]
        ).rows[0]
        let voucherID = try inserted.decode(Int64.self, "voucher_id")
        try await c.query(
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
        let reference = VoucherReference(
            year: try inserted.decode(Int.self, "fiscal_year"), series: draft.series, number: try inserted.decode(Int.self, "number"))
        let voucher = PostedVoucher(
            reference: reference, date: draft.date, text: draft.text, source: source.rawValue,
            sourceReference: sourceReference, postedBy: postedBy, postedAt: try inserted.decode(Date.self, "posted_at"),
            reverses: nil, reversedBy: nil,
            lines: draft.lines.map { line in
                PostedVoucher.Line(account: line.account, accountName: accounts[line.account]!.name, amount: line.amount,
                    intervention: line.intervention, member: line.member, text: line.text)
            })
        return InsertedVoucher(id: voucherID, voucher: voucher)
    }

    /// What is wrong with the first line of `draft` that names an account the chart lacks (`hasMeaning`: whether a
    /// cost line without an intervention may use the account), an unknown intervention or member, or a cost account
    /// without a category and no intervention; nil when nothing is.
    static func lineProblem(
        _ draft: VoucherDraft, hasMeaning: [Int: Bool], interventions: [String: Int64], members: [String: Int64]
    ) -> String? {
        for (index, line) in draft.lines.enumerated() {
            let lineNumber = index + 1
            guard let meaning = hasMeaning[line.account] else {
                return "rad \(lineNumber): konto \(line.account) finns inte i förbundets kontoplan"
            }
            if let code = line.intervention, interventions[code] == nil {
                return "rad \(lineNumber): insatsen \"\(code)\" finns inte i förbundet"
            }
            if let code = line.member, members[code] == nil {
                return "rad \(lineNumber): medlemmen \"\(code)\" finns inte i förbundet"
            }
            if AccountClass(accountNumber: line.account) == .cost, line.intervention == nil, !meaning {
                return "rad \(lineNumber): konto \(line.account) är ett kostnadskonto utan kostnadskategori; ange vilken insats kostnaden gäller"
            }
        }
        return nil
    }

    static func voucherID(_ c: isolated Connection, _ reference: VoucherReference, federationID: Int64) async throws -> Int64 {
        let result = try await c.query(
            "SELECT voucher_id FROM voucher WHERE federation_id = $1 AND fiscal_year = $2 AND series = $3 AND number = $4",
            [federationID, reference.year, reference.series, reference.number])
        guard let row = result.first else { throw ServiceError(.notFound, "verifikation \(reference) finns inte", code: "voucher.not-found",
            arguments: ["voucher": reference.description]) }
        return try row.decode(Int64.self, at: 0)
    }

    static func loadVoucher(_ c: isolated Connection, federationID: Int64, id: Int64) async throws -> PostedVoucher {
        guard let voucher = try await VoucherStore.loadVouchers(c, federationID: federationID, ids: [id]).first else {
            throw ServiceError.notFound("verifikationen finns inte")
        }
        return voucher
    }

    /// Vouchers with their lines, in the order of `ids`: two queries, whatever the number of vouchers.
    static func loadVouchers(_ c: isolated Connection, federationID: Int64, ids: [Int64]) async throws -> [PostedVoucher] {
        guard !ids.isEmpty else { return [] }
        let heads = try await c.query(
            """
            SELECT v.voucher_id, v.fiscal_year, v.series, v.number, v.voucher_date, v.text, v.source::text,
                   v.source_reference, v.posted_by, v.posted_at,
                   o.fiscal_year AS o_year, o.series AS o_series, o.number AS o_number,
                   r.fiscal_year AS r_year, r.series AS r_series, r.number AS r_number
            FROM voucher v
            LEFT JOIN voucher o ON o.federation_id = v.federation_id AND o.voucher_id = v.reverses_voucher_id
            LEFT JOIN voucher r ON r.federation_id = v.federation_id AND r.reverses_voucher_id = v.voucher_id
            WHERE v.federation_id = $1 AND v.voucher_id = ANY($2)
            """, [federationID, ids])
        let lines = try await c.query(
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
                postedBy: try row.decode(String.self, "posted_by"), postedAt: try row.decode(Date.self, "posted_at"),
                reverses: try reference("o_"), reversedBy: try reference("r_"), lines: linesByVoucher[id] ?? [])
        }
        return ids.compactMap { byID[$0] }
    }
}
