import FinsamCore
import FinsamService
import Postgres
import Testing

/// Contribution plans against a real PostgreSQL. Expected amounts are worked out by hand in the comments.
@Suite struct ContributionPlanTests {
    static let user = LedgerTests.user

    /// Norrdalen: FK, a region and three municipalities with populations 10 000 / 30 000 / 60 001 for 2024 at
    /// 2022-11-01 (the DOMAIN.md example).
    static func seed(_ database: Database) async throws {
        try await LedgerTests.seed(database)
        let members = [
            MemberDetails(code: "fk", kind: .fk, name: "Försäkringskassan", orgnr: "202100-5521"),
            MemberDetails(code: "region", kind: .region, name: "Region Norr", orgnr: "232100-0990"),
            MemberDetails(code: "bergby", kind: .municipality, name: "Bergby kommun", orgnr: "212000-0712"),
            MemberDetails(code: "dalby", kind: .municipality, name: "Dalby kommun", orgnr: "212000-0720"),
        ]
        for member in members { _ = try await Members(database).add(member, to: "norrdalen", by: user) }
        for (code, population) in [("ankeby", 10_000), ("bergby", 30_000), ("dalby", 60_001)] {
            _ = try await Population(database).set(member: code, in: "norrdalen", year: 2024, population: population,
                referenceDate: CalendarDate(iso: "2022-11-01")!, source: "SCB", by: user)
        }
    }

    @Test func aPlanSplitsTheTotalByLawAndPopulationAndIsSaved() async throws {
        try await LedgerTests.withLedger { database, _ in
            try await Self.seed(database)
            let plan = try await ContributionPlans(database).plan(
                ContributionPlanRequest(year: 2024, totalKronor: 8_000_000), for: "norrdalen", by: Self.user)
            // 4 000 000 / 2 000 000 / 199 998 + 599 994 + 1 200 008 (DOMAIN.md).
            #expect(plan.shares.map(\.member) == ["ankeby", "bergby", "dalby", "region", "fk"])
            #expect(plan.shares.map(\.amount.öre) == [199_998_00, 599_994_00, 1_200_008_00, 2_000_000_00, 4_000_000_00])
            #expect(plan.referenceDate == CalendarDate(iso: "2022-11-01"))
            #expect(plan.shares.reduce(0) { $0 + $1.percentOfTotal } == 10_000)
            let shown = try await ContributionPlans(database).show(for: "norrdalen", year: 2024, by: Self.user)
            #expect(shown.shares == plan.shares)
            #expect(shown.total == Money(kronor: 8_000_000))
        }
    }

    @Test func aMunicipalityWithoutAPopulationIsNamedAndNothingIsWritten() async throws {
        try await LedgerTests.withLedger { database, c in
            try await Self.seed(database)
            do {
                _ = try await ContributionPlans(database).plan(
                    ContributionPlanRequest(year: 2025, totalKronor: 8_000_000), for: "norrdalen", by: Self.user)
                Issue.record("a plan without populations was accepted")
            } catch let error as ServiceError {
                #expect(error.message.contains("Ankeby kommun (ankeby) saknar folkmängd för 2025"))
            }
            do {
                _ = try await ContributionPlans(database).plan(
                    ContributionPlanRequest(year: 2024, totalKronor: 8_000_000, referenceDate: CalendarDate(iso: "2023-11-01")),
                    for: "norrdalen", by: Self.user)
                Issue.record("figures of another reference date were accepted")
            } catch let error as ServiceError {
                #expect(error.message.contains("gäller 2022-11-01, inte referensdatumet 2023-11-01"))
            }
            #expect(try await c.query("SELECT count(*) FROM contribution_plan").scalar(Int64.self) == 0)
        }
    }

    @Test func aPreviewWritesNothingAndANewPlanReplacesTheOld() async throws {
        try await LedgerTests.withLedger { database, c in
            try await Self.seed(database)
            let plans = ContributionPlans(database)
            let preview = try await plans.plan(ContributionPlanRequest(year: 2024, totalKronor: 100), for: "norrdalen",
                preview: true, by: Self.user)
            #expect(!preview.saved)
            #expect(try await c.query("SELECT count(*) FROM contribution_plan").scalar(Int64.self) == 0)
            _ = try await plans.plan(ContributionPlanRequest(year: 2024, totalKronor: 8_000_000), for: "norrdalen", by: Self.user)
            // A charter key of 20/30/50 % for the municipalities' 2 000 000: 400 000, 600 000, 1 000 000.
            _ = try await plans.plan(
                ContributionPlanRequest(year: 2024, totalKronor: 8_000_000,
                    municipalityKey: ["ankeby": 2000, "bergby": 3000, "dalby": 5000]),
                for: "norrdalen", by: Self.user)
            let shown = try await plans.show(for: "norrdalen", year: 2024, by: Self.user)
            #expect(shown.shares.prefix(3).map(\.amount.öre) == [400_000_00, 600_000_00, 1_000_000_00])
            #expect(shown.shares.prefix(3).allSatisfy { $0.basis == "key" })
            #expect(try await c.query("SELECT count(*) FROM contribution_share").scalar(Int64.self) == 5)
        }
    }

    /// Through plain SQL as the application role: shares that do not add up to the total are refused at commit.
    @Test func theDatabaseRefusesSharesThatDoNotAddUpToTheTotal() async throws {
        try await LedgerTests.withLedger { database, c in
            try await Self.seed(database)
            _ = try await ContributionPlans(database).plan(
                ContributionPlanRequest(year: 2024, totalKronor: 8_000_000), for: "norrdalen", by: Self.user)
            do {
                try await c.execute(script: """
                    BEGIN; SELECT finsam_act_as_operator(); SET LOCAL ROLE finsam_app;
                    UPDATE contribution_share SET amount_ore = amount_ore + 100
                    WHERE federation_id = 1 AND fiscal_year = 2024 AND party = 'state';
                    COMMIT;
                    """)
                Issue.record("shares that do not add up were committed")
            } catch let error as PostgresError {
                #expect(error.sqlState == "FN010")
            }
            try? await c.execute(script: "ROLLBACK")
            let total = try await c.query("SELECT sum(amount_ore)::int8 FROM contribution_share").scalar(Int64.self)
            #expect(total == 8_000_000_00)
        }
    }
}
