// Measures the ledger at scale (issue 3): the income statement on a small and a large ledger, and the posting
// throughput of 3-line vouchers from 4 concurrent clients with durable commits.
// usage: LedgerBenchmarks APP_URL ADMIN_URL [SMALL_LINES] [LARGE_LINES] [POST_SECONDS]
//   APP_URL   the application database as the programs use it (migrations are applied through it)
//   ADMIN_URL the same database as a superuser: the bulk load bypasses the triggers, then rebuilds the monthly
//             balances they would have kept (a benchmark shortcut for loading; posting is measured separately)
// Prints one line per measurement: "<name> <operations> <seconds>".
import FinsamCore
import FinsamService
import Foundation
import Postgres

let arguments = CommandLine.arguments
guard arguments.count >= 3 else {
    FileHandle.standardError.write(Data("usage: LedgerBenchmarks APP_URL ADMIN_URL [SMALL_LINES] [LARGE_LINES] [POST_SECONDS]\n".utf8))
    exit(2)
}
let appURL = arguments[1]
let adminURL = arguments[2]
let smallLines = arguments.count > 3 ? Int(arguments[3])! : 10_000
let largeLines = arguments.count > 4 ? Int(arguments[4])! : 10_000_000
let postSeconds = arguments.count > 5 ? Double(arguments[5])! : 10

func report(_ name: String, _ operations: Int, _ seconds: Double) {
    FileHandle.standardOutput.write(Data("\(name) \(operations) \(String(format: "%.6f", seconds))\n".utf8))
}

func log(_ text: String) { FileHandle.standardError.write(Data("ledger-bench: \(text)\n".utf8)) }

@Sendable func seconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
}

let user = User.operator("bench")
let clock = ContinuousClock()

/// Creates a federation with 3 municipalities and 20 interventions through the service, as a user would.
func makeFederation(_ database: Database, code: String, orgnr: String) async throws -> (id: Int64, interventions: [Int64], members: [Int64]) {
    let federation = try await Federations(database).create(code: code, name: "Bench \(code)", orgnr: orgnr, seatMunicipality: nil, by: user)
    for (index, orgnr) in ["212000-0704", "212000-0712", "212000-0720"].enumerated() {
        _ = try await Members(database).add(
            MemberDetails(code: "kommun\(index + 1)", kind: .municipality, name: "Kommun \(index + 1)", orgnr: orgnr),
            to: code, by: user)
    }
    for index in 1...20 {
        _ = try await Interventions(database).add(
            Intervention(code: "insats\(index)", name: "Insats \(index)", category: index <= 15 ? .individual : .structural,
                activeFrom: CalendarDate(iso: "2025-01-01")!),
            to: code, by: user)
    }
    // As the application role, a transaction sees what its scope allows: the operator's, every federation.
    let ids = try await database.pool.transaction { c in
        try await c.query("SELECT finsam_act_as_operator()")
        let interventions = try await c.query(
            "SELECT intervention_id FROM intervention WHERE federation_id = $1 ORDER BY intervention_id", [federation.id]
        ).rows.map { try $0.decode(Int64.self, at: 0) }
        let members = try await c.query(
            "SELECT member_id FROM member WHERE federation_id = $1 ORDER BY member_id", [federation.id]
        ).rows.map { try $0.decode(Int64.self, at: 0) }
        return (interventions, members)
    }
    return (federation.id, ids.0, ids.1)
}

/// Loads `lines` voucher lines (3 per voucher) spread evenly over 2025 and 2026 with binary COPY, then rebuilds
/// the monthly balances. Nine vouchers in ten are costs (an intervention's cost, an administration cost, the
/// bank); one in ten is a member contribution paid to the bank and split between two municipalities.
func bulkLoad(_ admin: Connection, federation: (id: Int64, interventions: [Int64], members: [Int64]), lines: Int) async throws -> Double {
    let vouchers = lines / 3
    let start = clock.now
    try await admin.execute(script: "SET session_replication_role = replica")
    let days = 730
    let first = PostgresDate(year: 2025, month: 1, day: 1)
    func date(_ index: Int) -> PostgresDate { first.adding(days: index * days / vouchers) }
    try await admin.copyIn(table: "voucher", columns: [
        "federation_id", "fiscal_year", "series", "number", "voucher_date", "text", "source", "posted_by",
    ]) { writer in
        var numbers = [0, 0]
        for index in 0..<vouchers {
            let day = date(index)
            let year = day.year - 2025
            numbers[year] += 1
            try writer.append([federation.id, Int32(day.year), "A", Int32(numbers[year]), day, "Verifikation \(index)", "manual", "bench"])
        }
    }
    let base = try await admin.query(
        "SELECT min(voucher_id), count(*) FROM voucher WHERE federation_id = $1", [federation.id]).rows[0]
    let firstID = try base.decode(Int64.self, at: 0)
    // The identity hands out consecutive numbers to one COPY in an otherwise idle database; checked here.
    let maxID = try await admin.query("SELECT max(voucher_id) FROM voucher WHERE federation_id = $1", [federation.id]).scalar(Int64.self)
    let loadedVouchers = try base.decode(Int64.self, at: 1)
    precondition(maxID - firstID + 1 == Int64(vouchers) && loadedVouchers == Int64(vouchers))
    try await admin.copyIn(table: "voucher_line", columns: [
        "federation_id", "voucher_id", "line_number", "account_number", "amount_ore", "intervention_id", "member_id",
    ]) { writer in
        for index in 0..<vouchers {
            let id = firstID + Int64(index)
            let amount = Int64(10_000 + (index * 7_919) % 5_000_000)
            if index % 10 == 9 {
                let member1 = federation.members[index % 3], member2 = federation.members[(index + 1) % 3]
                try writer.append([federation.id, id, Int16(1), Int32(1930), amount, Int64?.none, Int64?.none])
                try writer.append([federation.id, id, Int16(2), Int32(3014), -(amount / 2), Int64?.none, member1])
                try writer.append([federation.id, id, Int16(3), Int32(3014), -(amount - amount / 2), Int64?.none, member2])
            } else {
                let administration = amount / 5 + 1
                try writer.append([federation.id, id, Int16(1), Int32(4010), amount,
                                   federation.interventions[index % federation.interventions.count], Int64?.none])
                try writer.append([federation.id, id, Int16(2), Int32(6990), administration, Int64?.none, Int64?.none])
                try writer.append([federation.id, id, Int16(3), Int32(1930), -(amount + administration), Int64?.none, Int64?.none])
            }
        }
    }
    try await admin.execute(script: "RESET session_replication_role")
    try await admin.query("SELECT finsam_rebuild_month_balances($1)", [federation.id])
    try await admin.query(
        """
        INSERT INTO voucher_series_counter (federation_id, fiscal_year, series, last_number)
        SELECT federation_id, fiscal_year, series, max(number) FROM voucher WHERE federation_id = $1 GROUP BY 1, 2, 3
        ON CONFLICT (federation_id, fiscal_year, series) DO UPDATE SET last_number = excluded.last_number
        """, [federation.id])
    try await admin.execute(script: "ANALYZE voucher; ANALYZE voucher_line; ANALYZE ledger_month_balance")
    let unbalanced = try await admin.query(
        "SELECT count(*) FROM (SELECT 1 FROM ledger_month_balance WHERE federation_id = $1 GROUP BY fiscal_year, month HAVING sum(amount_ore) <> 0) s",
        [federation.id]).scalar(Int64.self)
    precondition(unbalanced == 0, "the generated ledger does not balance")
    return seconds(clock.now - start)
}

/// The income statement through the service, as the CLI and the daemon run it: the median of 11 runs after one
/// warm-up.
func timeIncomeStatement(_ database: Database, _ code: String, to: CalendarDate?) async throws -> Double {
    _ = try await IncomeStatementReport(database).make(for: code, year: 2026, to: to, by: user)
    var times: [Double] = []
    for _ in 0..<11 {
        let start = clock.now
        let statement = try await IncomeStatementReport(database).make(for: code, year: 2026, to: to, by: user)
        times.append(seconds(clock.now - start))
        precondition(statement.totalCosts.actual > .zero)
    }
    return times.sorted()[times.count / 2]
}

/// 4 clients post 3-line vouchers through the service (Vouchers.post: checks, numbering, durable commit,
/// reading the posted voucher back) for `duration` seconds. Returns vouchers per second.
/// The nightly reconciliation of one federation through the service: the median of 11 runs after one warm-up.
func timeReconciliation(_ database: Database, _ code: String) async throws -> Double {
    let date = CalendarDate(iso: "2026-12-31")!
    _ = try await Reconciliation(database).check(code, at: date, by: user)
    var times: [Double] = []
    for _ in 0..<11 {
        let start = clock.now
        let report = try await Reconciliation(database).check(code, at: date, by: user)
        times.append(seconds(clock.now - start))
        precondition(report.agrees, "the generated ledger does not reconcile")
    }
    return times.sorted()[times.count / 2]
}

func postingThroughput(_ database: Database, federations: [String], duration: Double) async throws -> (Int, Double) {
    let deadline = clock.now + .milliseconds(Int(duration * 1000))
    let start = clock.now
    let posted = try await withThrowingTaskGroup(of: Int.self) { group in
        for client in 0..<4 {
            let federation = federations[client % federations.count]
            group.addTask {
                var count = 0
                while clock.now < deadline {
                    let amount = Int64(100 + count % 1000)
                    let draft = VoucherDraft(date: CalendarDate(iso: "2026-11-20")!, series: "B", text: "Faktura \(client)-\(count)", lines: [
                        .init(account: 4010, amount: Money(kronor: amount), intervention: "insats\(1 + count % 20)"),
                        .init(account: 6990, amount: Money(kronor: 10)),
                        .init(account: 1930, amount: Money(kronor: -amount - 10)),
                    ])
                    _ = try await Vouchers(database).post(draft, to: federation, by: user)
                    count += 1
                }
                return count
            }
        }
        return try await group.reduce(0, +)
    }
    return (posted, seconds(clock.now - start))
}

/// The machine's ceiling for the same clients: one durable INSERT and COMMIT per transaction, nothing else (into a
/// table the superuser made beforehand).
func commitCeiling(_ pool: ConnectionPool, duration: Double) async throws -> (Int, Double) {
    let deadline = clock.now + .milliseconds(Int(duration * 1000))
    let start = clock.now
    let committed = try await withThrowingTaskGroup(of: Int.self) { group in
        for client in 0..<4 {
            group.addTask {
                var count = 0
                while clock.now < deadline {
                    let n = count
                    try await pool.transaction { c in
                        try await c.query("INSERT INTO bench_commit VALUES ($1, $2)", [client, n])
                    }
                    count += 1
                }
                return count
            }
        }
        return try await group.reduce(0, +)
    }
    return (committed, seconds(clock.now - start))
}

let done = DispatchSemaphore(value: 0)
Task.detached {
    do {
        let appConfiguration = ConnectionConfiguration(appURL)
        let migrating = try await Connection.connect(appConfiguration)
        _ = try await Migrator().migrate(on: migrating)
        await migrating.close()
        // The service as deployed: the application role, bound by row-level security (the owner migrates).
        let pool = ConnectionPool(
            configuration: appConfiguration.setting("user", "finsam_operator"), options: .init(minimumConnections: 4, maximumConnections: 4))
        let database = Database(pool: pool)
        let admin = try await Connection.connect(ConnectionConfiguration(adminURL))

        log("creating federations")
        let small = try await makeFederation(database, code: "small", orgnr: "222000-0141")
        let large = try await makeFederation(database, code: "large", orgnr: "222000-0158")
        let posting = [("post1", "222000-0166"), ("post2", "222000-0018"), ("post3", "222000-0026"), ("post4", "222000-0034")]
        for (code, orgnr) in posting { _ = try await makeFederation(database, code: code, orgnr: orgnr) }

        log("loading \(smallLines) lines")
        report("copy-load-small", smallLines, try await bulkLoad(admin, federation: small, lines: smallLines))
        log("loading \(largeLines) lines")
        report("copy-load-large", largeLines, try await bulkLoad(admin, federation: large, lines: largeLines))

        log("income statements")
        let midJune = CalendarDate(iso: "2026-06-15")!
        report("income-statement-small-year", smallLines, try await timeIncomeStatement(database, "small", to: nil))
        report("income-statement-large-year", largeLines, try await timeIncomeStatement(database, "large", to: nil))
        report("income-statement-small-mid-month", smallLines, try await timeIncomeStatement(database, "small", to: midJune))
        report("income-statement-large-mid-month", largeLines, try await timeIncomeStatement(database, "large", to: midJune))

        log("reconciliations")
        report("reconcile-small", smallLines, try await timeReconciliation(database, "small"))
        report("reconcile-large", largeLines, try await timeReconciliation(database, "large"))

        log("posting for \(postSeconds) s per measurement")
        try await admin.execute(script: "CREATE TABLE IF NOT EXISTS bench_commit (client int, n int); GRANT INSERT ON bench_commit TO finsam_app")
        let ceiling = try await commitCeiling(pool, duration: postSeconds)
        report("commit-ceiling-4-clients", ceiling.0, ceiling.1)
        let spread = try await postingThroughput(database, federations: posting.map(\.0), duration: postSeconds)
        report("post-4-clients-4-federations", spread.0, spread.1)
        let one = try await postingThroughput(database, federations: ["post1"], duration: postSeconds)
        report("post-4-clients-1-series", one.0, one.1)

        // The audit trail's cost (issue 15): the same posting with the triggers that note a voucher's keys turned
        // off, so that nothing is sealed or chained; the difference is what the trail costs each voucher. The
        // writers of one federation queue for its chain; those of four federations chain in parallel.
        log("posting without the audit trail")
        let triggers = ["voucher", "voucher_line"].map { "ALTER TABLE \($0) %@ TRIGGER audit_insert;" }.joined()
        try await admin.execute(script: triggers.replacingOccurrences(of: "%@", with: "DISABLE"))
        let spreadBare = try await postingThroughput(database, federations: posting.map(\.0), duration: postSeconds)
        report("post-4-clients-4-federations-no-audit", spreadBare.0, spreadBare.1)
        let oneBare = try await postingThroughput(database, federations: ["post1"], duration: postSeconds)
        report("post-4-clients-1-series-no-audit", oneBare.0, oneBare.1)
        try await admin.execute(script: triggers.replacingOccurrences(of: "%@", with: "ENABLE"))
        await admin.close()
        await pool.close()
    } catch {
        FileHandle.standardError.write(Data("benchmark failed: \(String(reflecting: error))\n".utf8))
        exit(1)
    }
    done.signal()
}
done.wait()
