import FinsamCore
import FinsamService
import Postgres
import Testing

/// The demo a new user sees: loaded whole, once, with books that follow DOMAIN.md's rules. Expected figures are
/// worked out by hand from the demo's stated inputs (populations, FTE, rates, salaries), not by the code.
@Suite struct DemoDataTests {
    static let user = LedgerTests.user

    @Test func theDemoLoadsOnceAndLoadingAgainChangesNothing() async throws {
        try await LedgerTests.withLedger { database, c in
            let first = try await DemoData(database).load(by: Self.user)
            #expect(first.loaded)
            #expect(first.federations == ["norralv", "mellanalv", "sodraalv"])
            let vouchers = try await c.query("SELECT count(*) FROM voucher").scalar(Int64.self)
            #expect(vouchers == Int64(first.vouchers))
            let second = try await DemoData(database).load(by: Self.user)
            #expect(!second.loaded)
            #expect(try await c.query("SELECT count(*) FROM voucher").scalar(Int64.self) == vouchers)
        }
    }

    @Test func theDemoBooksFollowTheRulesOfTheDomain() async throws {
        try await LedgerTests.withLedger { database, c in
            _ = try await DemoData(database).load(by: Self.user)
            let unbalanced = try await c.query(
                "SELECT count(*) FROM (SELECT voucher_id FROM voucher_line GROUP BY voucher_id HAVING sum(amount_ore) <> 0) s"
            ).scalar(Int64.self)
            #expect(unbalanced == 0)
            // The nightly checks agree for every federation of the demo, on the demo's last day.
            for federation in ["norralv", "mellanalv", "sodraalv"] {
                let report = try await Reconciliation(database).check(federation, at: CalendarDate(iso: "2026-10-31")!, by: Self.user)
                #expect(report.agrees, "\(federation): \(report.checks.filter { !$0.agrees })")
            }

            // Norra Älvmark 2025: 8 036 000 kr split 50/25/25; the municipalities' 2 009 000 by population
            // 6 915 / 14 230 / 31 480 gives 263 985,46 / 543 241,24 / 1 201 773,30: floors sum to 2 008 999 and
            // the remaining krona goes to the largest remainder (Ankeby).
            let north = try await IncomeStatementReport(database).make(for: "norralv", year: 2025, by: Self.user)
            func actual(_ statement: IncomeStatement, _ code: String) -> Int64? {
                (statement.revenue.rows + statement.costs.rows + statement.administration.rows)
                    .first { $0.code == code }?.amounts.actual.öre
            }
            #expect(actual(north, "ankeby") == 263_986_00)
            #expect(actual(north, "bergby") == 543_241_00)
            #expect(actual(north, "dalby") == 1_201_773_00)
            #expect(actual(north, "region") == 2_009_000_00)
            #expect(actual(north, "fk") == 4_018_000_00)
            // The year's contribution plan says the same (saved with the demo).
            let plan = try await ContributionPlans(database).show(for: "norralv", year: 2025, by: Self.user)
            #expect(plan.shares.map(\.amount.öre) == [263_986_00, 543_241_00, 1_201_773_00, 2_009_000_00, 4_018_000_00])
            // Invoices per year: FK twice, the region four times, and the municipalities once or twice
            // (Norra 1+2+2, Mellersta 2+2, Södra 2+2+1): 11 + 10 + 11 a year, both years complete by October.
            #expect(try await c.query("SELECT count(*) FROM invoice").scalar(Int64.self) == 64)
            let norraInvoiced = try await Invoices(database).list(of: "norralv", year: 2025, by: Self.user)
                .filter { $0.contributionYear == 2025 }.sum(\.total)
            #expect(norraInvoiced == Money(kronor: 8_036_000))
            // Every invoice is paid 30 days after it is issued: at the end of October 2026 only the region's
            // fourth quarter (2 050 000 / 4 = 512 500 kr, issued 10 October) is open.
            let open = try await Payments(database).openItems(in: "norralv", at: CalendarDate(iso: "2026-10-31")!, by: Self.user)
            #expect(open.map(\.member) == ["region"])
            #expect(open.first?.remaining == Money(kronor: 512_500))
            // Coaches: (1,00 + 2,50 + 4,00) FTE × 240 000 kr per half-year × 2 half-years.
            #expect(actual(north, "se-coacher") == 3_600_000_00)

            // The shared director: 62 000 kr a month plus 31,42 % fees (19 480 kr a month, 58 440 a quarter).
            // Mellersta Älvmark pays 35 %: 35 % of 186 000 = 65 100 and 35 % of 58 440 = 20 454 per quarter,
            // 342 216 kr a year; Norra Älvmark keeps 12 × 81 480 − 342 216 = 635 544 kr.
            let middle = try await IncomeStatementReport(database).make(for: "mellanalv", year: 2025, by: Self.user)
            #expect(actual(middle, "staff") == 342_216_00)
            #expect(actual(north, "staff") == 635_544_00)

            // The county-wide intervention: each partner's cost is the host's revenue, 3 × 150 000 kr.
            let south = try await IncomeStatementReport(database).make(for: "sodraalv", year: 2025, by: Self.user)
            #expect(actual(north, "it-autism") == 150_000_00)
            #expect(actual(middle, "it-autism") == 150_000_00)
            #expect(south.revenue.rows.first { $0.kind == "other-revenue" }?.amounts.actual.öre == 450_000_00)

            for federation in ["norralv", "mellanalv", "sodraalv"] {
                let sheet = try await BalanceSheetReport(database).make(
                    for: federation, at: CalendarDate(iso: "2026-10-31")!, compare: CalendarDate(iso: "2025-12-31")!, by: Self.user)
                #expect(sheet.balances, "\(federation)")
            }
        }
    }

    /// The first report a newcomer reads (README): a budget a board would adopt and a forecast an economy office
    /// would write. Norra Älvmark, by hand from the demo's inputs: revenue 8 208 600 (contributions 8 200 000,
    /// interest 8 600); costs 9 642 768 (IT education 150 000, coaches 3 690 000, young adults' coaches 1 750 000,
    /// "Unga vuxna i arbete" 6 × 210 000 = 1 260 000 as it ends in June, coordinators 900 000, structural 620 000,
    /// reserve 200 000, administration 1 072 768): a result of −1 434 168, paid from the 3 006 832 of equity. The
    /// forecast: interest 10 100; coaches 900 000 + 820 000, coordinators 450 000 + 400 000 (the decisions with
    /// their vacancies), structural 600 000, no reserve: −1 132 668.
    @Test func theDemoBudgetIsOneABoardAdoptsAndItsForecastOneAnOfficeWrites() async throws {
        try await LedgerTests.withLedger { database, _ in
            _ = try await DemoData(database).load(by: Self.user)
            let end = CalendarDate(iso: "2026-10-31")!
            let north = try await IncomeStatementReport(database).make(for: "norralv", year: 2026, to: end, by: Self.user)
            #expect(north.totalRevenue.budget == Money(kronor: 8_208_600))
            #expect(north.totalCosts.budget == Money(kronor: 9_642_768))
            #expect(north.result.budget == Money(kronor: -1_434_168))
            #expect(north.result.forecast == Money(kronor: -1_132_668))
            for federation in ["norralv", "mellanalv", "sodraalv"] {
                let statement = try await IncomeStatementReport(database).make(for: federation, year: 2026, to: end, by: Self.user)
                // No line's full-year forecast is below what is already booked on it.
                for row in statement.revenue.rows + statement.costs.rows + statement.administration.rows {
                    #expect(row.amounts.forecast >= row.amounts.actual, "\(federation) \(row.label)")
                }
                // A deficit is paid from equity, and leaves at least a tenth of a year's revenue of it.
                let sheet = try await BalanceSheetReport(database).make(
                    for: federation, at: CalendarDate(iso: "2025-12-31")!, compare: nil, by: Self.user)
                let equity = sheet.totalEquity.at
                #expect(equity.öre + statement.result.budget.öre >= statement.totalRevenue.budget.öre / 10, "\(federation)")
            }
        }
    }

    @Test func theClosedYearOfTheDemoTakesNoVoucher() async throws {
        try await LedgerTests.withLedger { database, _ in
            _ = try await DemoData(database).load(by: Self.user)
            let draft = VoucherDraft(date: CalendarDate(iso: "2025-06-30")!, text: "Sen rättelse",
                lines: [.init(account: 6990, amount: Money(kronor: 100)), .init(account: 1930, amount: Money(kronor: -100))])
            do {
                _ = try await Vouchers(database).post(draft, to: "norralv", by: Self.user)
                Issue.record("a voucher was posted into the locked year 2025")
            } catch let error as ServiceError {
                #expect(error.message.contains("2025-06 är låst"), "\(error.message)")
            }
        }
    }

    /// Norra Älvmark's two decision-funded interventions: disbursements in every state, the decision table worked
    /// by hand (DemoFunding: 0,50 / 1,25 / 2,00 FTE at 240 000; Dalby 1,00 FTE vacant September–October:
    /// 4 × 80 000 + 2 × 40 000 = 400 000), and each paid disbursement's voucher equal to its amount.
    @Test func theDemoHasDisbursementsInEveryState() async throws {
        try await LedgerTests.withLedger { database, c in
            _ = try await DemoData(database).load(by: LedgerTests.user)
            let all = try await Disbursements(database).list(in: "norralv", by: LedgerTests.user)
            #expect(Set(all.map(\.state)) == Set(DisbursementState.allCases))
            let table = try await DecisionReports(database).table(
                in: "norralv", intervention: "se-unga", halfYear: HalfYear("2026H2")!, by: LedgerTests.user)
            #expect(table.columns.map(\.amountKronor) == [120_000, 300_000, 400_000])
            #expect(table.totalKronor == 820_000)
            let coordinators = try await DecisionReports(database).table(
                in: "norralv", intervention: "samordnare", halfYear: HalfYear("2026H2")!, by: LedgerTests.user)
            #expect(coordinators.columns.map(\.amountKronor) == [150_000, 100_000, 150_000])
            let postings = try await c.query(
                """
                SELECT count(*) FILTER (WHERE l.amount_ore = d.amount_ore), count(*) FILTER (WHERE l.amount_ore <> d.amount_ore)
                FROM disbursement d JOIN voucher_line l USING (federation_id, voucher_id) WHERE l.account_number = 4020
                """).first!
            #expect(try postings.decode(Int64.self, at: 0) == 7, "each paid disbursement has its 4020 line")
            #expect(try postings.decode(Int64.self, at: 1) == 0)
            #expect(try await c.query("SELECT count(*) FROM disbursement WHERE state = 'paid'").scalar(Int64.self) == 7)
        }
    }
}
