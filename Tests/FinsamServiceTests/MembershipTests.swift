import FinsamCore
import FinsamService
import Postgres
import Testing

/// Municipalities joining or leaving during the year, on InvoiceRunTests' plan (8 000 000 kr; Ankeby 10 000,
/// Bergby 30 000, Dalby 60 001; the municipalities invoiced yearly, the region per quarter, FK per half-year).
/// With Dalby a member for six months (either half), the municipalities' 2 000 000 kr split month by month is
/// Ankeby 349 999, Bergby 1 049 997, Dalby 600 004 (worked out in MembershipMonthsTests).
@Suite struct MembershipTests {
    static let user = LedgerTests.user
    static func day(_ text: String) -> CalendarDate { CalendarDate(iso: text)! }
    static let total = ContributionPlanRequest(year: 2024, totalKronor: 8_000_000)

    static func receivable(_ c: Connection) async throws -> Int64 {
        try await c.query("SELECT coalesce(sum(amount_ore), 0)::int8 FROM voucher_line WHERE account_number = 1510").scalar(Int64.self)
    }

    @Test func aMunicipalityJoiningInJulyPaysForItsMonthsFromJuly() async throws {
        try await LedgerTests.withLedger { database, _ in
            try await InvoiceRunTests.seed(database)
            _ = try await Members(database).update("dalby", in: "norrdalen", MemberChanges(joined: .set(year: 2024, month: 7)), by: Self.user)
            let plan = try await ContributionPlans(database).plan(Self.total, for: "norrdalen", by: Self.user)
            #expect(plan.shares.map(\.member) == ["ankeby", "bergby", "dalby", "region", "fk"])
            #expect(plan.shares.map(\.amount) == [349_999, 1_049_997, 600_004, 2_000_000, 4_000_000].map { Money(kronor: $0) })
            #expect(plan.shares.map(\.months) == [1...12, 1...12, 7...12, 1...12, 1...12])
            #expect(try await ContributionPlans(database).show(for: "norrdalen", year: 2024, by: Self.user).shares == plan.shares)

            // January: Dalby is not invoiced yet; its yearly invoice comes with July's run.
            let runs = InvoiceRuns(database)
            let q1 = try await runs.run("norrdalen", period: InvoicePeriod("2024Q1")!, issueDate: Self.day("2024-01-10"), by: Self.user)
            #expect(q1.invoices.map(\.member) == ["ankeby", "bergby", "region", "fk"])
            #expect(q1.invoices.map(\.total.öre) == [349_999_00, 1_049_997_00, 500_000_00, 2_000_000_00])
            let q3 = try await runs.run("norrdalen", period: InvoicePeriod("2024Q3")!, issueDate: Self.day("2024-07-10"), by: Self.user)
            #expect(q3.invoices.map(\.member) == ["dalby", "region", "fk"])
            #expect(q3.invoices.first?.total == Money(kronor: 600_004))
            #expect(q3.settlementCredits.isEmpty)
        }
    }

    @Test func aMunicipalityLeavingAfterJuneIsCreditedAndTheOthersInvoicedTheDifference() async throws {
        try await LedgerTests.withLedger { database, c in
            try await InvoiceRunTests.seed(database)
            let runs = InvoiceRuns(database)
            let q1 = try await runs.run("norrdalen", period: InvoicePeriod("2024Q1")!, issueDate: Self.day("2024-01-10"), by: Self.user)
            #expect(q1.invoices.map(\.total.öre) == [199_998_00, 599_994_00, 1_200_008_00, 500_000_00, 2_000_000_00])
            // A disputed 100 kr credited on the region's Q1 invoice (4) is a correction, not a plan change: never re-invoiced.
            _ = try await CreditNotes(database).issue(invoiceNumber: 4, year: 2024, amount: Money(kronor: 100), reason: "tvist",
                on: Self.day("2024-02-01"), in: "norrdalen", by: Self.user)

            // Dalby leaves after June; the plan is made again.
            _ = try await Members(database).update("dalby", in: "norrdalen", MemberChanges(left: .set(year: 2024, month: 6)), by: Self.user)
            let plan = try await ContributionPlans(database).plan(Self.total, for: "norrdalen", by: Self.user)
            #expect(plan.shares.map(\.amount) == [349_999, 1_049_997, 600_004, 2_000_000, 4_000_000].map { Money(kronor: $0) })
            #expect(plan.shares[2].months == 1...6)

            // July's run: the region's Q3 and FK's second half as planned, and the yearly invoices settled:
            // Ankeby 349 999 − 199 998 = 150 001 and Bergby 1 049 997 − 599 994 = 450 003 more; Dalby
            // 1 200 008 − 600 004 = 600 004 credited on its invoice 3.
            let q3 = try await runs.run("norrdalen", period: InvoicePeriod("2024Q3")!, issueDate: Self.day("2024-07-10"), by: Self.user)
            #expect(q3.invoices.map(\.member) == ["region", "fk", "ankeby", "bergby"])
            #expect(q3.invoices.map(\.total.öre) == [500_000_00, 2_000_000_00, 150_001_00, 450_003_00])
            #expect(q3.invoices.map(\.settlement) == [false, false, true, true])
            #expect(q3.settlementCredits.map(\.member) == ["dalby"])
            #expect(q3.settlementCredits.map(\.amount) == [Money(kronor: 600_004)])
            #expect(q3.settlementCredits.map(\.invoiceNumber) == [3])

            // Again: nothing more.
            let again = try await runs.run("norrdalen", period: InvoicePeriod("2024Q3")!, issueDate: Self.day("2024-07-11"), by: Self.user)
            #expect(again.invoices.isEmpty)
            #expect(again.settlementCredits.isEmpty)

            // The whole year invoiced (the region's Q2 and Q4 too): the receivables are the plan's 8 000 000 kr less
            // the disputed 100 kr, and each member has been charged its planned amount.
            _ = try await runs.run("norrdalen", period: InvoicePeriod("2024")!, issueDate: Self.day("2024-10-10"), by: Self.user)
            #expect(try await Self.receivable(c) == 8_000_000_00 - 100_00)
            let report = try await MemberAccounts(database).contributions(in: "norrdalen", year: 2024, by: Self.user)
            let invoicedLessCredited = Dictionary(uniqueKeysWithValues: try report.rows.map { ($0.member, try $0.invoiced - $0.credited) })
            #expect(invoicedLessCredited["ankeby"] == Money(kronor: 349_999))
            #expect(invoicedLessCredited["bergby"] == Money(kronor: 1_049_997))
            #expect(invoicedLessCredited["dalby"] == Money(kronor: 600_004))
            #expect(invoicedLessCredited["region"] == Money(kronor: 2_000_000 - 100))
        }
    }

    @Test func membershipDatesAreRefusedWhereTheyCannotApply() async throws {
        try await LedgerTests.withLedger { database, _ in
            try await InvoiceRunTests.seed(database)
            let members = Members(database)
            let region = await #expect(throws: ServiceError.self) {
                try await members.update("region", in: "norrdalen", MemberChanges(left: .set(year: 2024, month: 6)), by: Self.user)
            }
            #expect(region?.message.contains("bara en kommun") == true)
            await #expect(throws: ServiceError.self) {
                try await members.update("dalby", in: "norrdalen",
                    MemberChanges(joined: .set(year: 2024, month: 7), left: .set(year: 2024, month: 6)), by: Self.user)
            }
            // Every municipality gone from July: nobody pays the municipalities' part for those months.
            for code in ["ankeby", "bergby", "dalby"] {
                _ = try await members.update(code, in: "norrdalen", MemberChanges(left: .set(year: 2024, month: 6)), by: Self.user)
            }
            let empty = await #expect(throws: ServiceError.self) {
                try await ContributionPlans(database).plan(Self.total, for: "norrdalen", by: Self.user)
            }
            #expect(empty?.message.contains("kommunerna i juli") == true)
            // The plan of before is still there, unchanged.
            #expect(try await ContributionPlans(database).show(for: "norrdalen", year: 2024, by: Self.user).shares[2].amount
                == Money(kronor: 1_200_008))
        }
    }
}
