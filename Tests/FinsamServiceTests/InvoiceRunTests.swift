import FinsamCore
import FinsamService
import Postgres
import Testing

/// Invoice runs against a real PostgreSQL, on the DOMAIN.md plan of ContributionPlanTests (8 000 000 kr).
@Suite struct InvoiceRunTests {
    static let user = LedgerTests.user

    static func seed(_ database: Database) async throws {
        try await ContributionPlanTests.seed(database)
        _ = try await ContributionPlans(database).plan(
            ContributionPlanRequest(year: 2024, totalKronor: 8_000_000), for: "norrdalen", by: user)
        _ = try await Members(database).setSchedule(.halfYearly, member: "fk", in: "norrdalen", by: user)
        _ = try await Members(database).setSchedule(.quarterly, member: "region", in: "norrdalen", by: user)
    }

    @Test func aRunInvoicesWhatIsDueOnceAndBooksIt() async throws {
        try await LedgerTests.withLedger { database, c in
            try await Self.seed(database)
            let runs = InvoiceRuns(database)
            let first = try await runs.run("norrdalen", period: InvoicePeriod("2024Q1")!, issueDate: CalendarDate(iso: "2024-01-10")!, by: Self.user)
            // Q1: the municipalities' yearly invoices, the region's first quarter (2 000 000 / 4) and FK's first
            // half (4 000 000 / 2).
            #expect(first.invoices.map(\.member) == ["ankeby", "bergby", "dalby", "region", "fk"])
            #expect(first.invoices.map(\.total.öre) == [199_998_00, 599_994_00, 1_200_008_00, 500_000_00, 2_000_000_00])
            #expect(first.invoices.map(\.number) == [1, 2, 3, 4, 5])
            #expect(first.invoices.allSatisfy { $0.dueDate == CalendarDate(iso: "2024-02-09") })
            #expect(first.invoices.allSatisfy { OCRReference(checking: $0.ocr) != nil })
            #expect(Set(first.invoices.map(\.ocr)).count == 5)

            let again = try await runs.run("norrdalen", period: InvoicePeriod("2024Q1")!, issueDate: CalendarDate(iso: "2024-01-11")!, by: Self.user)
            #expect(again.invoices.isEmpty)
            #expect(again.alreadyInvoiced == 5)

            let second = try await runs.run("norrdalen", period: InvoicePeriod("2024H2")!, issueDate: CalendarDate(iso: "2024-07-10")!, by: Self.user)
            // H2: the region's third and fourth quarters, FK's second half.
            #expect(second.invoices.map(\.number) == [6, 7, 8])
            #expect(second.invoices.map(\.total.öre) == [500_000_00, 500_000_00, 2_000_000_00])

            // The receivables: 4 500 000 + 3 000 000 kr booked on 1510, against the members' revenue accounts.
            let receivable = try await c.query(
                "SELECT sum(amount_ore)::int8 FROM voucher_line WHERE federation_id = 1 AND account_number = 1510").scalar(Int64.self)
            #expect(receivable == 7_500_000_00)
            let listed = try await Invoices(database).list(of: "norrdalen", year: 2024, by: Self.user)
            #expect(listed == first.invoices + second.invoices)
        }
    }

    @Test func twoRunsAtOnceIssueEachInvoiceOnceWithoutGaps() async throws {
        try await LedgerTests.withLedger { database, c in
            try await Self.seed(database)
            let period = InvoicePeriod("2024")!
            let date = CalendarDate(iso: "2024-01-10")!
            async let a = InvoiceRuns(database).run("norrdalen", period: period, issueDate: date, by: Self.user)
            async let b = InvoiceRuns(database).run("norrdalen", period: period, issueDate: date, by: Self.user)
            let (ra, rb) = try await (a, b)
            // The whole year: 3 municipalities + 4 region quarters + 2 FK halves = 9 invoices, issued by one run.
            #expect(ra.invoices.count + rb.invoices.count == 9)
            #expect(ra.alreadyInvoiced + rb.alreadyInvoiced == 9)
            let numbers = try await c.query("SELECT number FROM invoice ORDER BY number").rows.map { try $0.decode(Int.self, at: 0) }
            #expect(numbers == Array(1...9))
        }
    }

    @Test func aRunIntoALockedPeriodIsRefusedAndWritesNothing() async throws {
        try await LedgerTests.withLedger { database, c in
            try await Self.seed(database)
            _ = try await PeriodLocks(database).lock(year: 2024, month: 1, in: "norrdalen", by: Self.user)
            do {
                _ = try await InvoiceRuns(database).run("norrdalen", period: InvoicePeriod("2024Q1")!, issueDate: CalendarDate(iso: "2024-01-10")!, by: Self.user)
                Issue.record("invoices were issued into a locked month")
            } catch let error as ServiceError {
                #expect(error.message.contains("2024-01 är låst"))
            }
            #expect(try await c.query("SELECT count(*) FROM invoice").scalar(Int64.self) == 0)
            #expect(try await c.query("SELECT count(*) FROM voucher").scalar(Int64.self) == 0)
        }
    }

    /// Through SQL as the application role: an issued invoice cannot be changed, and an installment cannot be
    /// invoiced twice.
    @Test func theDatabaseKeepsInvoicesAsIssued() async throws {
        try await LedgerTests.withLedger { database, c in
            try await Self.seed(database)
            _ = try await InvoiceRuns(database).run("norrdalen", period: InvoicePeriod("2024Q1")!, issueDate: CalendarDate(iso: "2024-01-10")!, by: Self.user)
            let attempts: [(String, String, String)] = [
                ("change an invoice", "42501", "UPDATE invoice SET total_ore = 1;"),
                ("delete an invoice", "42501", "DELETE FROM invoice;"),
                ("invoice an installment twice", "23505", """
                    INSERT INTO invoice (federation_id, number, member_id, contribution_year, installment, installments,
                        issue_date, due_date, ocr, total_ore, voucher_id, issued_by, fiscal_year)
                    SELECT federation_id, 6, member_id, contribution_year, installment, installments, issue_date, due_date,
                           '1234', total_ore, voucher_id, 'x', fiscal_year FROM invoice WHERE number = 1;
                    """),
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
            #expect(try await c.query("SELECT count(*) FROM invoice").scalar(Int64.self) == 5)
        }
    }
}

@Suite struct PrintableInvoiceTests {
    static let user = LedgerTests.user

    /// The page carries the federation's bankgiro, the OCR reference, the due date and the amount in Swedish
    /// format, and escapes what users typed (a member named with & and <).
    @Test func thePrintableInvoiceSaysHowToPayAndEscapesNames() async throws {
        try await LedgerTests.withLedger { database, _ in
            try await LedgerTests.seed(database)
            _ = try await Members(database).add(
                MemberDetails(code: "fk", kind: .fk, name: "Försäkringskassan <Visby> & Co", orgnr: "202100-5521"),
                to: "norrdalen", by: Self.user)
            _ = try await Population(database).set(member: "ankeby", in: "norrdalen", year: 2024, population: 6_915,
                referenceDate: nil, source: "SCB", by: Self.user)
            _ = try await ContributionPlans(database).plan(
                ContributionPlanRequest(year: 2024, totalKronor: 1_817_375, partyShares: .init(state: 10_000, regions: 0, municipalities: 0)),
                for: "norrdalen", by: Self.user)
            await #expect(throws: ServiceError.self) {
                try await FederationInvoicing(database).update("norrdalen", bankgiro: "5050-1056", dueDays: nil, by: Self.user)
            }
            _ = try await FederationInvoicing(database).update("norrdalen", bankgiro: "5050-1055", dueDays: 20, by: Self.user)
            let run = try await InvoiceRuns(database).run(
                "norrdalen", period: InvoicePeriod("2024")!, issueDate: CalendarDate(iso: "2024-01-10")!, by: Self.user)
            let invoice = try #require(run.invoices.first)
            // 20 days after 2024-01-10.
            #expect(invoice.dueDate == CalendarDate(iso: "2024-01-30"))
            let html = try await Invoices(database).html(number: invoice.number, year: 2024, in: "norrdalen", by: Self.user)
            #expect(html.contains("<dt>Bankgiro</dt><dd>5050-1055</dd>"))
            #expect(html.contains("<dt>OCR-nummer</dt><dd>\(invoice.ocr)</dd>"))
            #expect(html.contains("<dt>Förfallodag</dt><dd>2024-01-30</dd>"))
            #expect(html.contains("1 817 375,00"))
            #expect(html.contains("Försäkringskassan &lt;Visby&gt; &amp; Co"))
            #expect(!html.contains("<Visby>"))
        }
    }
}
