import FinsamCore
import FinsamService
import Foundation
import Postgres
import TestSupport
import Testing

/// The ledger end to end against a real PostgreSQL: posting, the database's own guards (tried through plain SQL
/// as the application role), row-level security, and SIE 4 files written by other programs.
@Suite struct LedgerTests {
    static let user = User.operator("ekonom")

    /// A migrated database: the service on a pool of the application role, and the superuser's connection.
    static func withLedger(_ body: (Database, Connection) async throws -> Void) async throws {
        try await TestDatabase.withDatabase { configuration in
            let connection = try await Connection.connect(configuration)
            _ = try await Migrator().migrate(on: connection)
            // The service logs in as the CLI does, as finsam_operator (the application role's rights, and it may name
            // whom it acts for): no owner, no BYPASSRLS; the connection handed to the test is the superuser's, for
            // looking behind the service's back.
            let pool = ConnectionPool(
                configuration: configuration.setting("user", "finsam_operator"), options: .init(minimumConnections: 0, maximumConnections: 2))
            let database = Database(pool: pool)
            do {
                try await body(database, connection)
                await pool.close()
                await connection.close()
            } catch {
                await pool.close()
                await connection.close()
                throw error
            }
        }
    }

    static func seed(_ database: Database) async throws {
        _ = try await Federations(database).create(code: "norrdalen", name: "Norrdalen", orgnr: "222000-0018", seatMunicipality: nil, by: user)
        _ = try await Federations(database).create(code: "sjobygden", name: "Sjöbygden", orgnr: "222000-0026", seatMunicipality: nil, by: user)
        _ = try await Members(database).add(
            MemberDetails(code: "ankeby", kind: .municipality, name: "Ankeby kommun", orgnr: "212000-0530"), to: "norrdalen", by: user)
    }

    static func draft(_ lines: [(Int, Int64)], date: String = "2024-03-01") -> VoucherDraft {
        VoucherDraft(date: CalendarDate(iso: date)!, text: "Test", lines: lines.map { .init(account: $0.0, amount: Money(öre: $0.1)) })
    }

    @Test func postedVouchersAreNumberedWithoutGapsAndReversedOnce() async throws {
        try await Self.withLedger { database, _ in
            try await Self.seed(database)
            let vouchers = Vouchers(database)
            let first = try await vouchers.post(Self.draft([(1930, 100_000), (3090, -100_000)]), to: "norrdalen", by: Self.user)
            // A refused voucher consumes no number.
            await #expect(throws: ServiceError.self) {
                try await vouchers.post(Self.draft([(1930, 100_000), (3090, -90_000)]), to: "norrdalen", by: Self.user)
            }
            let second = try await vouchers.post(Self.draft([(1930, 500), (3090, -500)]), to: "norrdalen", by: Self.user)
            #expect(first.reference.number == 1)
            #expect(second.reference.number == 2)
            let reversal = try await vouchers.reverse(first.reference, in: "norrdalen", date: nil, by: Self.user)
            #expect(reversal.lines.map(\.amount) == [Money(öre: -100_000), Money(öre: 100_000)])
            #expect(reversal.reverses == first.reference)
            // What posting returns is what the ledger holds (it is built from the insert, not read back).
            #expect(try await vouchers.find(reversal.reference, in: "norrdalen", by: Self.user) == reversal)
            #expect(try await vouchers.find(second.reference, in: "norrdalen", by: Self.user) == second)
            await #expect(throws: ServiceError.self) {
                try await vouchers.reverse(first.reference, in: "norrdalen", date: nil, by: Self.user)
            }
        }
    }

    @Test func anIdempotencyKeyReturnsTheOriginalOrRefusesOtherContent() async throws {
        try await Self.withLedger { database, _ in
            try await Self.seed(database)
            let vouchers = Vouchers(database)
            let draft = Self.draft([(1930, 100), (3090, -100)])
            let first = try await vouchers.post(draft, to: "norrdalen", idempotencyKey: "bank-1", by: Self.user)
            let again = try await vouchers.post(draft, to: "norrdalen", idempotencyKey: "bank-1", by: Self.user)
            #expect(again.reference == first.reference)
            do {
                _ = try await vouchers.post(Self.draft([(1930, 200), (3090, -200)]), to: "norrdalen", idempotencyKey: "bank-1", by: Self.user)
                Issue.record("other content under the same key was accepted")
            } catch let error as ServiceError {
                #expect(error.kind == .conflict)
            }
            let count = try await vouchers.list(in: "norrdalen", year: 2024, by: Self.user).count
            #expect(count == 1)
        }
    }

    /// Periods that start and end inside months read the daily balances at the edges and the monthly ones in
    /// between (schema/004); the result must equal summing the lines themselves, for every kind of edge.
    @Test(arguments: [("2024-03-05", "2024-04-03"), ("2024-03-01", "2024-04-30"), ("2024-03-10", "2024-03-10"),
                      ("2024-02-15", "2024-05-31"), ("2024-03-11", "2024-03-20"), ("2024-01-01", "2024-12-31")])
    func sumsOverAnyPeriodEqualTheSumOfTheLines(from: String, to: String) async throws {
        try await Self.withLedger { database, c in
            try await Self.seed(database)
            for (date, amount) in [("2024-03-01", 100), ("2024-03-10", 250), ("2024-03-10", 7), ("2024-03-20", 1_000),
                                   ("2024-03-31", 33), ("2024-04-01", 5), ("2024-04-03", 11), ("2024-04-30", 90), ("2024-05-02", 4)] {
                _ = try await Vouchers(database).post(Self.draft([(1930, Int64(amount)), (3090, -Int64(amount))], date: date),
                    to: "norrdalen", by: Self.user)
            }
            let period = [PostgresDate(from)!, PostgresDate(to)!]
            let fromBalances = try await c.query(
                "SELECT account_number, sum(amount_ore)::int8 FROM finsam_ledger_sums(1, $1, $2) GROUP BY 1 ORDER BY 1", period
            ).rows.map { [try $0.decode(Int.self, at: 0), Int(try $0.decode(Int64.self, at: 1))] }
            let fromLines = try await c.query(
                """
                SELECT l.account_number, sum(l.amount_ore)::int8 FROM voucher_line l JOIN voucher v USING (federation_id, voucher_id)
                WHERE v.federation_id = 1 AND v.voucher_date BETWEEN $1 AND $2 GROUP BY 1 ORDER BY 1
                """, period
            ).rows.map { [try $0.decode(Int.self, at: 0), Int(try $0.decode(Int64.self, at: 1))] }
            #expect(fromBalances == fromLines)
            #expect(!fromLines.isEmpty)
        }
    }

    /// Each rule tried through plain SQL as finsam_app, in its own transaction: the database must refuse.
    @Test func theDatabaseRefusesWhatBreaksTheLedgerRules() async throws {
        try await Self.withLedger { database, c in
            try await Self.seed(database)
            _ = try await Vouchers(database).post(Self.draft([(1930, 100), (3090, -100)]), to: "norrdalen", by: Self.user)
            _ = try await PeriodLocks(database).lock(year: 2023, month: nil, in: "norrdalen", by: Self.user)
            try await c.execute(script: "INSERT INTO account (federation_id, account_number, name) VALUES (1, 1999, 'Bara Norrdalen')")
            // A new voucher of `federation` with `lines` (account, öre), written as the application role would: the
            // role may not read the identity sequence (currval), so the id comes from RETURNING in a DO block.
            func voucher(_ federation: Int, _ lines: [(Int, Int)]) -> String {
                let values = lines.enumerated().map { "(\(federation), v, \($0.offset + 1), \($0.element.0), \($0.element.1))" }
                let insertLines = values.isEmpty ? "" : "INSERT INTO voucher_line (federation_id, voucher_id, line_number, "
                    + "account_number, amount_ore) VALUES \(values.joined(separator: ", "));"
                return """
                    DO $$ DECLARE v bigint; BEGIN
                    INSERT INTO voucher (federation_id, series, voucher_date, text, source, posted_by)
                    VALUES (\(federation), 'A', '2024-04-01', 't', 'manual', 'x') RETURNING voucher_id INTO v;
                    \(insertLines)
                    END $$;
                    """
            }
            // The application role has no UPDATE or DELETE on the ledger (42501); the triggers refuse the rest (FN…),
            // and the tenant-first foreign key refuses another federation's account (23503).
            let attempts: [(String, String, String)] = [
                ("unbalanced", "FN001", voucher(1, [(1930, 100), (3090, -90)])),
                ("one line", "FN002", voucher(1, [(1930, 100)])),
                ("no lines", "FN002", voucher(1, [])),
                ("update a posted voucher", "42501", "UPDATE voucher SET text = 'ändrad' WHERE voucher_id = 1;"),
                ("delete a posted line", "42501", "DELETE FROM voucher_line WHERE voucher_id = 1;"),
                ("add a line to a posted voucher", "FN003", "INSERT INTO voucher_line VALUES (1, 1, 3, 1930, 5);"),
                ("locked period", "FN004", "INSERT INTO voucher (federation_id, series, voucher_date, text, source, posted_by) VALUES (1, 'A', '2023-06-01', 't', 'manual', 'x');"),
                ("gap in the series", "FN005", "INSERT INTO voucher (federation_id, series, number, voucher_date, text, source, posted_by) VALUES (1, 'A', 5, '2024-04-01', 't', 'manual', 'x');"),
                ("duplicate in the series", "FN005", "INSERT INTO voucher (federation_id, series, number, voucher_date, text, source, posted_by) VALUES (1, 'A', 1, '2024-04-01', 't', 'manual', 'x');"),
                ("another federation's account", "23503", voucher(2, [(1999, 100), (3090, -100)])),
                // Voucher 1 belongs to federation 1: the tenant-first key (2, 1) names no voucher at all.
                ("line of one federation on another's voucher", "23503", "INSERT INTO voucher_line VALUES (2, 1, 9, 1930, 5);"),
                ("cost line without a category", "FN007", voucher(1, [(4010, 100), (1930, -100)])),
            ]
            for (name, expected, sql) in attempts {
                do {
                    try await c.execute(script: "BEGIN; SELECT finsam_act_as_operator(); SET LOCAL ROLE finsam_app; \(sql) COMMIT;")
                    Issue.record("the database accepted: \(name)")
                } catch let error as PostgresError {
                    #expect(error.sqlState == expected, "\(name)")
                }
                try? await c.execute(script: "ROLLBACK")
            }
            let lines = try await c.query("SELECT count(*) FROM voucher_line").scalar(Int64.self)
            #expect(lines == 2)
        }
    }

    @Test func aSessionScopedToOneFederationSeesNoRowOfAnother() async throws {
        try await Self.withLedger { database, c in
            try await Self.seed(database)
            let bankVoucher = try await Vouchers(database).post(Self.draft([(1930, 100), (3090, -100)]), to: "sjobygden", by: Self.user)
            _ = try await Interventions(database).add(
                Intervention(code: "se", name: "SE", category: .individual, activeFrom: CalendarDate(iso: "2024-01-01")!), to: "sjobygden", by: Self.user)
            _ = try await Budgets(database).set(BudgetLine(kind: .budget, year: 2024, account: 3090, amount: Money(öre: 1)), in: "sjobygden", by: Self.user)
            _ = try await PeriodLocks(database).lock(year: 2020, month: nil, in: "sjobygden", by: Self.user)
            _ = try await Members(database).add(
                MemberDetails(code: "sjostad", kind: .municipality, name: "Sjöstads kommun", orgnr: "212000-0530"), to: "sjobygden", by: Self.user)
            _ = try await Population(database).set(member: "sjostad", in: "sjobygden", year: 2024, population: 9000,
                referenceDate: nil, source: "SCB", by: Self.user)
            _ = try await ContributionPlans(database).plan(
                ContributionPlanRequest(year: 2024, totalKronor: 1_000, partyShares: .init(state: 0, regions: 0, municipalities: 10_000)),
                for: "sjobygden", by: Self.user)
            let run = try await InvoiceRuns(database).run(
                "sjobygden", period: InvoicePeriod("2024")!, issueDate: CalendarDate(iso: "2024-02-01")!, by: Self.user)
            // A bank file with a payment of the invoice: a deposit, a bank payment and its allocation.
            _ = try await FederationInvoicing(database).update("sjobygden", bankgiro: "991-2346", dueDays: nil, by: Self.user)
            // A second payment, with nothing to go on, is settled by the voucher of 1 kr on the bank posted above.
            let bankFile = try await BankFileImport(database).bgMax(BgMaxTestFile(deposits: [.init(bankgiro: "9912346", date: "20240202", serial: 1,
                payments: [.init(reference: run.invoices[0].ocr, öre: 1_00), .init(öre: 1_00, referenceCode: 1)])]).bytes,
                fileName: "bg.txt", into: "sjobygden", by: Self.user)
            _ = try await BankPayments(database).settle(bankFile.unmatched[0].id, with: bankVoucher.reference, in: "sjobygden", by: Self.user)
            // A statement of the federation's account with its closing balance.
            _ = try await FederationDisbursements(database).update("sjobygden", .init(payerIBAN: "SE4550000000058398257466"), by: Self.user)
            _ = try await BankFileImport(database).read(CamtTestFile(iban: "SE4550000000058398257466", statementID: "S1", opening: ("0.00", "2024-02-01"),
                closing: ("0.00", "2024-02-02"), entries: []).bytes, fileName: "s1.xml", into: "sjobygden", by: Self.user)
            let payment = try await Payments(database).register(Money(kronor: 1), on: CalendarDate(iso: "2024-02-02")!,
                for: .number(year: 2024, number: 1), reference: nil, in: "sjobygden", by: Self.user)
            _ = try await Payments(database).reverse(payment.voucher, on: CalendarDate(iso: "2024-02-04")!, reason: "test",
                in: "sjobygden", by: Self.user)
            _ = try await CreditNotes(database).issue(invoiceNumber: 1, year: 2024, amount: Money(kronor: 1), reason: "test",
                on: CalendarDate(iso: "2024-02-03")!, in: "sjobygden", by: Self.user)
            try await c.execute(script: "INSERT INTO import_file (federation_id, kind, file_name, sha256, voucher_count, imported_by) VALUES (2, 'sie', 'x.se', '\\x00', 0, 'test')")
            // A decision and a disbursement through every step, so that each funding table has a row to hide.
            _ = try await Users(database).add(code: "eko", name: "Eko", roles: [RoleGrant(federation: "sjobygden", role: .economy)], by: Self.user)
            _ = try await Users(database).add(code: "chef", name: "Chef", roles: [RoleGrant(federation: "sjobygden", role: .director)], by: Self.user)
            let eko = User.person("eko"), chef = User.person("chef")
            _ = try await Interventions(database).add(
                Intervention(code: "coach", name: "Coacher", category: .individual, activeFrom: CalendarDate(iso: "2024-01-01")!,
                    funding: .fteRate), to: "sjobygden", by: Self.user)
            _ = try await FundingDecisions(database).add(
                FundingDecisionRequest(intervention: "coach", member: "sjostad", halfYear: HalfYear("2024H1")!, fte: FTE(parsing: "1")!,
                    rate: Money(kronor: 60_000), reference: BoardReference(parsing: "2023-12-01 §3")!), in: "sjobygden", by: eko)
            _ = try await FundingDecisions(database).adjust(
                FundingAdjustmentRequest(intervention: "coach", member: "sjostad", halfYear: HalfYear("2024H1")!,
                    from: YearMonth("2024-06")!, to: YearMonth("2024-06")!, change: .vacant), in: "sjobygden", by: eko)
            _ = try await Disbursements(database).prepare(in: "sjobygden", intervention: "coach", halfYear: HalfYear("2024H1")!, by: eko)
            _ = try await Disbursements(database).submit([1], in: "sjobygden", by: eko)
            _ = try await Disbursements(database).approve([1], in: "sjobygden", by: chef)
            _ = try await Disbursements(database).pay([1], in: "sjobygden", on: CalendarDate(iso: "2024-02-05")!, file: false, by: eko)
            let tables = ["federation", "member", "member_population", "account", "intervention", "voucher_series_counter",
                          "voucher", "voucher_line", "ledger_month_balance", "ledger_day_balance", "period_lock", "budget_line", "import_file",
                          "contribution_plan", "contribution_share", "invoice_series_counter", "invoice", "invoice_line", "invoice_payment", "credit_note", "invoice_payment_reversal",
                          "bank_deposit", "bank_payment", "bank_payment_allocation", "bank_payment_voucher", "bank_statement_balance",
                          "user_role_grant", "funding_decision", "funding_adjustment", "disbursement", "disbursement_transition",
                          "disbursement_approval", "disbursement_batch"]
            for table in tables {
                let (visibleToOther, all) = try await c.transaction { c in
                    try await c.execute(script: "SELECT finsam_grant_scope('{1}'); SET LOCAL ROLE finsam_app")
                    let other = try await c.query("SELECT count(*) FROM \(table) WHERE federation_id = 2").scalar(Int64.self)
                    try await c.execute(script: "RESET ROLE")
                    let all = try await c.query("SELECT count(*) FROM \(table) WHERE federation_id = 2").scalar(Int64.self)
                    return (other, all)
                }
                #expect(visibleToOther == 0, "\(table)")
                #expect(all > 0, "\(table) has rows to hide")
            }
        }
    }


    /// The file's own #UB 0 (balance accounts) and #RES 0 (result accounts), read with plain string handling.
    static func statedBalances(_ bytes: [UInt8]) -> [Int: Int64] {
        var stated: [Int: Int64] = [:]
        for line in String(decoding: bytes.map { $0 < 0x80 ? $0 : UInt8(ascii: "?") }, as: UTF8.self).split(separator: "\n") {
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" })
            guard fields.count >= 4, fields[0] == "#UB" || fields[0] == "#RES", fields[1] == "0", let account = Int(fields[2]) else { continue }
            let parts = fields[3].split(separator: ".")
            let fraction = parts.count > 1 ? String(parts[1]).padding(toLength: 2, withPad: "0", startingAt: 0) : "00"
            let negative = fields[3].hasPrefix("-")
            let öre = Int64(parts[0].replacingOccurrences(of: "-", with: ""))! * 100 + Int64(fraction)!
            stated[account] = negative ? -öre : öre
        }
        return stated
    }

    @Test(arguments: ["MAMUT_SIE4_EXPORT.SE", "SIE4_Exempelfil_med_underdim.SE", "BokOrder.si", "BL0001_typ4.SE"])
    func aSieFileFromAnotherProgramImportsToItsOwnClosingBalances(name: String) async throws {
        try await Self.withLedger { database, c in
            try await Self.seed(database)
            let bytes = try Fixtures.bytes("sie/" + name)
            let summary = try await SIEImport(database).run(bytes, fileName: name, into: "sjobygden",
                options: SIEImportOptions(interventionDimension: 6), by: Self.user)
            #expect(summary.vouchers > 0)
            let file = try SIEParser.parse(bytes)
            let year = try #require(file.fiscalYears[0])
            var ledger: [Int: Int64] = [:]
            // Balance accounts hold everything booked up to the year's end (the previous year comes along when the file
            // has it), result accounts the year's own.
            for row in try await c.query(
                """
                SELECT l.account_number, sum(l.amount_ore)::int8 FROM voucher_line l JOIN voucher v USING (federation_id, voucher_id)
                WHERE v.federation_id = 2 AND v.voucher_date <= $2 AND (l.account_number < 3000 OR v.voucher_date >= $1) GROUP BY 1
                """, [year.lowerBound.description, year.upperBound.description].map { PostgresDate($0)! }
            ).rows {
                ledger[try row.decode(Int.self, at: 0)] = try row.decode(Int64.self, at: 1)
            }
            for (account, amount) in Self.statedBalances(bytes) {
                #expect(ledger[account, default: 0] == amount, "\(name) account \(account)")
            }
            let unbalanced = try await c.query(
                "SELECT count(*) FROM (SELECT voucher_id FROM voucher_line GROUP BY voucher_id HAVING sum(amount_ore) <> 0) s"
            ).scalar(Int64.self)
            #expect(unbalanced == 0)
        }
    }

    @Test func aMalformedSieFileIsRejectedWithItsLineAndNothingIsWritten() async throws {
        try await Self.withLedger { database, c in
            try await Self.seed(database)
            var text = String(decoding: try Fixtures.bytes("sie/MAMUT_SIE4_EXPORT.SE"), as: UTF8.self)
            text = text.replacingOccurrences(of: "-301050.00", with: "-301O50.00")
            do {
                _ = try await SIEImport(database).run(Array(text.utf8), fileName: "trasig.se", into: "sjobygden", by: Self.user)
                Issue.record("a malformed file was imported")
            } catch let error as ServiceError {
                #expect(error.message.contains("rad 1756"))
            }
            #expect(try await c.query("SELECT count(*) FROM voucher").scalar(Int64.self) == 0)
            #expect(try await c.query("SELECT count(*) FROM account WHERE federation_id = 2").scalar(Int64.self) == Int64(ChartTemplate.accounts.count))
        }
    }

    @Test func anExportReimportsToIdenticalBalances() async throws {
        try await Self.withLedger { database, _ in
            try await Self.seed(database)
            let bytes = try Fixtures.bytes("sie/MAMUT_SIE4_EXPORT.SE")
            _ = try await SIEImport(database).run(bytes, fileName: "mamut.se", into: "sjobygden",
                options: SIEImportOptions(interventionDimension: 6), by: Self.user)
            let exported = try await SIEExport(database).run(for: "sjobygden", year: 2010, today: CalendarDate(iso: "2026-11-22")!, by: Self.user)
            let summary = try await SIEImport(database).run(exported, fileName: "export.se", into: "norrdalen",
                options: SIEImportOptions(interventionDimension: 6), by: Self.user)
            #expect(summary.checksumVerified)
            let from = CalendarDate(iso: "2010-01-01")!, to = CalendarDate(iso: "2010-12-31")!
            let original = try await TrialBalanceReport(database).make(for: "sjobygden", from: from, to: to, by: Self.user)
            let copy = try await TrialBalanceReport(database).make(for: "norrdalen", from: from, to: to, by: Self.user)
            #expect(original.rows.map { [$0.account: $0.closing] } == copy.rows.map { [$0.account: $0.closing] })
            #expect(!original.rows.isEmpty)
        }
    }

    /// The checksum `sie export` writes verifies by the rule of the checksums other programs wrote, computed by
    /// another program (scripts/sie-ksumma, Python's zlib), never by Finsam's own code.
    @Test func anExportsChecksumVerifiesByAnotherProgram() async throws {
        try await Self.withLedger { database, _ in
            try await Self.seed(database)
            _ = try await SIEImport(database).run(try Fixtures.bytes("sie/MAMUT_SIE4_EXPORT.SE"), fileName: "mamut.se",
                into: "sjobygden", options: SIEImportOptions(interventionDimension: 6), by: Self.user)
            let exported = try await SIEExport(database).run(for: "sjobygden", year: 2010, today: CalendarDate(iso: "2026-11-22")!, by: Self.user)
            let path = FileManager.default.temporaryDirectory.appendingPathComponent("export-\(UUID().uuidString).se")
            try Data(exported).write(to: path)
            defer { try? FileManager.default.removeItem(at: path) }
            let check = try await ChildProcess.run(TestDatabase.projectRoot.appendingPathComponent("scripts/sie-ksumma"), [path.path])
            #expect(check.status == 0, "\(check.stdout) \(check.stderr)")
            let numbers = check.stdout.split(separator: " ").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
            #expect(numbers.count == 2 && numbers[0] == numbers[1] && numbers[0] != "None", "\(check.stdout)")
        }
    }
}
