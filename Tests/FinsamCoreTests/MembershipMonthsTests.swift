import FinsamCore
import Testing

/// The month-by-month split for municipalities joining or leaving during the year. Expected values worked out
/// by hand (fractions in the comments).
@Suite struct MembershipMonthsTests {
    /// DOMAIN.md's example (municipalities' part 2 000 000; A 10 000, B 30 000, C 60 001), but C joins in July.
    static let joining = [
        ContributionSplit.MonthlyParticipant(member: "a", weight: 10_000),
        ContributionSplit.MonthlyParticipant(member: "b", weight: 30_000),
        ContributionSplit.MonthlyParticipant(member: "c", weight: 60_001, months: 7...12),
    ]

    @Test func aMunicipalityJoiningInJulyPaysForItsMonthsAndTheOthersForTheRest() throws {
        let weights = try ContributionSplit.monthlyWeights(Self.joining, party: "kommunerna")
        // A: 2 000 000 × (½ × 10 000/40 000 + ½ × 10 000/100 001) = 250 000 + 99 999,00001 = 349 999,00001
        // B: 2 000 000 × (½ × 30 000/40 000 + ½ × 30 000/100 001) = 750 000 + 299 997,00003 = 1 049 997,00003
        // C: 2 000 000 × ½ × 60 001/100 001 = 600 003,99996; the spare krona goes to the largest remainder, C.
        #expect(weights.split(2_000_000) == [349_999, 1_049_997, 600_004])
        #expect(weights.months(of: 2) == Array(7...12))
        // C invoiced per half-year: nothing for the first half.
        #expect(weights.installments(of: 600_004, member: 2, schedule: .halfYearly) == [0, 600_004])
        // A per quarter: Q1, Q2 exactly 125 000 of the exact year; Q3, Q4 49 999,50000…; 349 999 split in that
        // proportion gives 124 999,99999…, 124 999,99999…, 49 999,50000…, 49 999,50000…: floors 349 996, the three
        // spare kronor to Q1, Q2 and (equal remainders, the first) Q3.
        #expect(weights.installments(of: 349_999, member: 0, schedule: .quarterly) == [125_000, 125_000, 50_000, 49_999])
    }

    @Test func everyoneAllYearGivesTheSameSplitAsTheYearlyRule() throws {
        // DOMAIN.md: A 199 998, B 599 994, C 1 200 008.
        let all = Self.joining.map { ContributionSplit.MonthlyParticipant(member: $0.member, weight: $0.weight) }
        let weights = try ContributionSplit.monthlyWeights(all, party: "kommunerna")
        #expect(weights.split(2_000_000) == [199_998, 599_994, 1_200_008])
        #expect(weights.installments(of: 199_998, member: 0, schedule: .quarterly) == [49_999 + 1, 49_999 + 1, 49_999, 49_999])
    }

    @Test func aMunicipalityLeavingAfterMarchPaysAQuarter() throws {
        // Two equal municipalities; B leaves after March. A: 3/12 × ½ + 9/12 × 1 = 7/8; B: 1/8 of 1 000 000.
        let weights = try ContributionSplit.monthlyWeights([
            .init(member: "a", weight: 5_000), .init(member: "b", weight: 5_000, months: 1...3),
        ], party: "kommunerna")
        #expect(weights.split(1_000_000) == [875_000, 125_000])
        #expect(weights.installments(of: 125_000, member: 1, schedule: .yearly) == [125_000])
    }

    @Test func aMonthWithoutAnyMunicipalityIsRefused() {
        #expect(throws: ContributionSplit.Problem.nobodyToPay(party: "kommunerna i juli")) {
            try ContributionSplit.monthlyWeights([.init(member: "a", weight: 1, months: 1...6)], party: "kommunerna")
        }
    }

    @Test func monthRangesAreNamedInSwedish() {
        #expect(SwedishMonth.range(1...12) == "helår")
        #expect(SwedishMonth.range(7...12) == "jul–dec")
        #expect(SwedishMonth.range(3...3) == "mar")
    }
}
