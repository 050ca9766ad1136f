import Postgres

/// Resolving what users name by code or number to the rows' ids: one query per kind, whatever the number of
/// codes, so that a voucher or a budget of many lines costs the same few round trips.
enum CodeStore {
    static func interventionIDs(_ c: isolated Connection, _ codes: Set<String>, federationID: Int64) async throws -> [String: Int64] {
        try await CodeStore.ids(c, "SELECT code, intervention_id FROM intervention WHERE federation_id = $1 AND code = ANY($2)",
            federationID, codes)
    }

    static func memberIDs(_ c: isolated Connection, _ codes: Set<String>, federationID: Int64) async throws -> [String: Int64] {
        try await CodeStore.ids(c, "SELECT code, member_id FROM member WHERE federation_id = $1 AND code = ANY($2)", federationID, codes)
    }

    /// The accounts among `numbers` that the federation's chart has, each with whether a cost line that names no
    /// intervention may use it: the account carries a cost category or an intervention of its own (schema/017).
    static func accountsWithMeaning(_ c: isolated Connection, _ numbers: Set<Int>, federationID: Int64) async throws -> [Int: Bool] {
        guard !numbers.isEmpty else { return [:] }
        var found: [Int: Bool] = [:]
        for row in try await c.query(
            """
            SELECT account_number, cost_category IS NOT NULL OR intervention_id IS NOT NULL AS has_meaning FROM account
            WHERE federation_id = $1 AND account_number = ANY($2::int8[])
            """, [federationID, numbers.map(Int64.init)]
        ).rows {
            found[try row.decode(Int.self, "account_number")] = try row.decode(Bool.self, "has_meaning")
        }
        return found
    }

    private static func ids(_ c: isolated Connection, _ sql: String, _ federationID: Int64, _ codes: Set<String>) async throws -> [String: Int64] {
        guard !codes.isEmpty else { return [:] }
        var map: [String: Int64] = [:]
        for row in try await c.query(sql, [federationID, Array(codes)]).rows {
            map[try row.decode(String.self, at: 0)] = try row.decode(Int64.self, at: 1)
        }
        return map
    }
}
