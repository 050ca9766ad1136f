import FinsamCore
import Testing

/// The split of DOMAIN.md, Member contributions, with the figures worked out by hand there and here.
@Suite struct ContributionSplitTests {
    func split(
        _ total: Int64, shares: ContributionSplit.PartyShares = .law, regions: [(String, Int64)] = [("region", 1)],
        regionsKeyed: Bool = false, municipalities: [(String, Int64)], keyed: Bool = false
    ) throws(ContributionSplit.Problem) -> [String: Int64] {
        let parts = try ContributionSplit.split(
            total: total, shares: shares, state: "fk", regions: regions.map { .init(member: $0.0, weight: $0.1) },
            regionsKeyed: regionsKeyed, municipalities: municipalities.map { .init(member: $0.0, weight: $0.1) },
            municipalitiesKeyed: keyed)
        return Dictionary(uniqueKeysWithValues: parts.map { ($0.member, $0.kronor) })
    }

    /// DOMAIN.md: 8 000 000 kr, populations 10 000 / 30 000 / 60 001. Exact shares of 2 000 000 are
    /// 199 998,00 / 599 994,00 / 1 200 007,99…; the floors sum to 1 999 999 and the last krona goes to C.
    @Test func theDomainExampleSplitsExactly() throws {
        let parts = try split(8_000_000, municipalities: [("a", 10_000), ("b", 30_000), ("c", 60_001)])
        #expect(parts == ["fk": 4_000_000, "region": 2_000_000, "a": 199_998, "b": 599_994, "c": 1_200_008])
    }

    /// An odd total: 8 036 001 kr by 50/25/25 is 4 018 000,5 / 2 009 000,25 / 2 009 000,25; the floors leave one
    /// krona, which goes to the largest remainder (the state's 0,5).
    @Test func anOddTotalStillAddsUp() throws {
        let parts = try split(8_036_001, municipalities: [("a", 1)])
        #expect(parts == ["fk": 4_018_001, "region": 2_009_000, "a": 2_009_000])
        #expect(parts.values.reduce(0, +) == 8_036_001)
    }

    /// Two regions at 60/40 of the regions' 25 % of 1 000 000 kr (250 000): 150 000 and 100 000. A charter key
    /// of 20/30/50 % for the municipalities' 250 000: 50 000, 75 000, 125 000.
    @Test func twoRegionsAndACharterKey() throws {
        let parts = try split(
            1_000_000, regions: [("north", 6000), ("south", 4000)], regionsKeyed: true,
            municipalities: [("a", 2000), ("b", 3000), ("c", 5000)], keyed: true)
        #expect(parts == ["fk": 500_000, "north": 150_000, "south": 100_000, "a": 50_000, "b": 75_000, "c": 125_000])
    }

    @Test func sharesThatDoNotSumToAHundredAreRefused() {
        #expect(throws: ContributionSplit.Problem.partySharesNotHundred(9_500)) {
            try split(1_000, shares: .init(state: 5000, regions: 2500, municipalities: 2000), municipalities: [("a", 1)])
        }
        #expect(throws: ContributionSplit.Problem.keyNotHundred(party: "kommunerna", sum: 9_000)) {
            try split(1_000, municipalities: [("a", 4000), ("b", 5000)], keyed: true)
        }
        #expect(throws: ContributionSplit.Problem.nobodyToPay(party: "kommunerna")) {
            try split(1_000, municipalities: [])
        }
    }
}
