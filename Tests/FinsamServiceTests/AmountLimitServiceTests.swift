import FinsamCore
import FinsamService
import Foundation
import Postgres
import Testing
import TestSupport

/// Amounts at Finsam's limit through the service and the database (issue 13): reports whose sums would pass it
/// answer with an error instead of stopping the program, the database refuses what lies beyond it, and the nightly
/// job sets a file it cannot read aside and goes on.
@Suite struct AmountLimitServiceTests {
    static let user = LedgerTests.user
    static let limit = Money(öre: 99_999_999_999_999)  // 999 999 999 999,99 kr

    static func post(_ database: Database, _ date: String, _ lines: [(Int, Money)]) async throws {
        _ = try await Vouchers(database).post(
            VoucherDraft(date: CalendarDate(iso: date)!, text: "Stor", lines: lines.map { .init(account: $0.0, amount: $0.1) }),
            to: "norrdalen", by: Self.user)
    }

    /// Two vouchers at the limit, in January and February: each month's balances stay within it, the year's do
    /// not. Every report over the year answers with an error that says so; a third in February is refused.
    @Test func reportsWhoseSumsPassTheLimitAnswerWithAnError() async throws {
        try await LedgerTests.withLedger { database, _ in
            try await LedgerTests.seed(database)
            try await Self.post(database, "2024-01-15", [(1930, Self.limit), (3090, -Self.limit)])
            try await Self.post(database, "2024-02-15", [(1930, Self.limit), (3090, -Self.limit)])
            let expected = "beloppet blir större än Finsam tillåter (högst 999 999 999 999,99 kr)"
            let reports: [(String, @Sendable () async throws -> Void)] = [
                ("income statement", { _ = try await IncomeStatementReport(database).make(for: "norrdalen", year: 2024, by: Self.user) }),
                ("balance sheet", {
                    _ = try await BalanceSheetReport(database).make(for: "norrdalen", at: CalendarDate(iso: "2024-12-31")!, compare: nil, by: Self.user)
                }),
                ("trial balance", {
                    _ = try await TrialBalanceReport(database).make(
                        for: "norrdalen", from: CalendarDate(iso: "2024-01-01")!, to: CalendarDate(iso: "2024-12-31")!, by: Self.user)
                }),
            ]
            for (name, make) in reports {
                do {
                    try await make()
                    Issue.record("the \(name) added up past the limit")
                } catch let error as ServiceError {
                    #expect(error.message == expected, "\(name)")
                }
            }
            do {
                try await Self.post(database, "2024-02-16", [(1930, Money(öre: 1)), (3090, Money(öre: -1))])
                Issue.record("a month's balance passed the limit")
            } catch let error as ServiceError {
                #expect(error.message == "ett kontos saldo skulle bli större än Finsam tillåter (högst 999 999 999 999,99 kr)")
            }
        }
    }

    /// `contributions plan --total 999999999999999999` trapped converting kronor to öre.
    @Test func aContributionTotalBeyondTheLimitIsNamed() async throws {
        try await LedgerTests.withLedger { database, _ in
            try await LedgerTests.seed(database)
            do {
                _ = try await ContributionPlans(database).plan(
                    ContributionPlanRequest(year: 2024, totalKronor: 999_999_999_999_999_999), for: "norrdalen", preview: true, by: Self.user)
                Issue.record("a total of 999 999 999 999 999 999 kr was planned")
            } catch let error as ServiceError {
                #expect(error.message == "totalbeloppet 999 999 999 999 999 999 kr ska vara större än 0 och högst 999 999 999 999 kr")
            }
        }
    }

    @Test func theDatabaseRefusesAnAmountBeyondTheLimit() async throws {
        try await LedgerTests.withLedger { database, c in
            try await LedgerTests.seed(database)
            for (name, öre) in [("one öre past the limit", "100000000000000"), ("999 999 999 999 999 kr", "99999999999999900")] {
                do {
                    try await c.execute(script: """
                        BEGIN; SELECT finsam_act_as_operator(); SET LOCAL ROLE finsam_app;
                        DO $$ DECLARE v bigint; BEGIN
                        INSERT INTO voucher (federation_id, series, voucher_date, text, source, posted_by)
                        VALUES (1, 'A', '2024-04-01', 't', 'manual', 'x') RETURNING voucher_id INTO v;
                        INSERT INTO voucher_line (federation_id, voucher_id, line_number, account_number, amount_ore)
                        VALUES (1, v, 1, 1930, \(öre)), (1, v, 2, 3090, -\(öre));
                        END $$;
                        COMMIT;
                        """)
                    Issue.record("the database accepted \(name)")
                } catch let error as PostgresError {
                    #expect(error.sqlState == "23514", "\(name)")
                    #expect(error.constraint == "voucher_line_amount_ore_within_limit", "\(name)")
                }
                try? await c.execute(script: "ROLLBACK")
            }
            #expect(try await c.query("SELECT count(*) FROM voucher_line").scalar(Int64.self) == 0)
        }
    }

    /// A BgMax file of ten payments of 999 999 999 999 999 999 öre dropped beside a good one: it is set aside in
    /// rejected/ with its reason, the good file is read, and every federation is still reconciled (it used to stop
    /// the daemon at the night's run, stay in the folder, and stop it again every night).
    @Test func theNightlyJobSetsAsideAFileOfHugeAmountsAndGoesOn() async throws {
        try await BankFileImportTests.withInvoices { database, c, ocr in
            let drop = FileManager.default.temporaryDirectory.appendingPathComponent("drop-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: drop) }
            let folder = drop.appendingPathComponent("norrdalen")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            let huge = BgMaxTestFile(deposits: [.init(bankgiro: "9912346", date: "20240206", serial: 7, payments:
                (0..<10).map { _ in .init(reference: "", öre: 999_999_999_999_999_999, referenceCode: 1) })])
            try Data(huge.bytes).write(to: folder.appendingPathComponent("1-huge.txt"))
            try Data(BgMaxTestFile(deposits: [BankFileImportTests.deposit(ocr)]).bytes).write(to: folder.appendingPathComponent("2-good.txt"))

            let report = try await NightlyRun(database, dropFolder: drop).run(at: CalendarDate(iso: "2024-02-28")!, by: Self.user)
            #expect(report.files.map(\.fileName) == ["1-huge.txt", "2-good.txt"])
            let reason = try #require(report.files[0].error)
            #expect(reason.hasPrefix("1-huge.txt: rad 3: beloppet"))
            #expect(reason.contains("större än Finsam tillåter"))
            #expect(try String(contentsOf: folder.appendingPathComponent("rejected/1-huge.txt.fel.txt"), encoding: .utf8) == reason + "\n")
            #expect(report.files[1].summary?.vouchers == 5)
            #expect(report.reconciliations.map(\.federation) == ["norrdalen", "sjobygden"])
            #expect(report.failures.isEmpty)
            #expect(try await c.query("SELECT count(*) FROM bank_deposit").scalar(Int64.self) == 1)
        }
    }
}
