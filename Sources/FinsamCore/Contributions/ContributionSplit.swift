/// How a federation's yearly contribution total is divided between its members (DOMAIN.md, Member
/// contributions): first between the three parties (by law 50 % the state through Försäkringskassan, 25 % the
/// region or regions, 25 % the municipalities), then within the regions and within the municipalities, each
/// step exact to the krona by the largest-remainder method, so the parts always add up to the total.
public enum ContributionSplit {
    /// The parties' shares in hundredths of a percent (5000 = 50,00 %).
    public struct PartyShares: Sendable, Equatable, Codable {
        public var state: Int
        public var regions: Int
        public var municipalities: Int

        public init(state: Int, regions: Int, municipalities: Int) {
            self.state = state
            self.regions = regions
            self.municipalities = municipalities
        }

        /// The law's default (2003:1210, 7 §): half the state, a quarter the region, a quarter the municipalities.
        public static let law = PartyShares(state: 5000, regions: 2500, municipalities: 2500)
    }

    /// One member's part of a party's amount: its weight is a population (split in proportion to population)
    /// or a share in hundredths of a percent (a key agreed in the charter, or two regions' agreed shares).
    public struct Participant: Sendable, Equatable {
        public var member: String
        public var weight: Int64

        public init(member: String, weight: Int64) {
            self.member = member
            self.weight = weight
        }
    }

    public struct Part: Sendable, Equatable {
        public var member: String
        public var kronor: Int64

        public init(member: String, kronor: Int64) {
            self.member = member
            self.kronor = kronor
        }
    }

    public enum Problem: Error, Equatable, CustomStringConvertible {
        case partySharesNotHundred(Int)
        case negativeShare
        case keyNotHundred(party: String, sum: Int)
        case nobodyToPay(party: String)
        case zeroWeights(party: String)
        case totalNotPositive

        public var description: String {
            switch self {
            case .partySharesNotHundred(let sum):
                "andelarna för staten, regionen och kommunerna summerar till \(SwedishNumberFormat.percent(basisPoints: Int64(sum))), inte 100,00 %"
            case .negativeShare: "en andel kan inte vara negativ"
            case .keyNotHundred(let party, let sum):
                "fördelningsnyckeln för \(party) summerar till \(SwedishNumberFormat.percent(basisPoints: Int64(sum))), inte 100,00 %"
            case .nobodyToPay(let party): "förbundet har ingen medlem som kan betala \(party)s andel"
            case .zeroWeights(let party): "\(party)s fördelningsgrund är noll för alla medlemmar"
            case .totalNotPositive: "totalbeloppet måste vara större än noll"
            }
        }
    }

    /// Splits `total` kronor. `state` receives the state's whole share (Försäkringskassan is invoiced for it);
    /// `regions` and `municipalities` split their party's share by their weights. When `regionsKeyed` or
    /// `municipalitiesKeyed` is set, those weights are shares in hundredths of a percent and must sum to 100 %.
    public static func split(
        total: Int64, shares: PartyShares, state: String?, regions: [Participant], regionsKeyed: Bool,
        municipalities: [Participant], municipalitiesKeyed: Bool
    ) throws(Problem) -> [Part] {
        guard total > 0 else { throw .totalNotPositive }
        guard shares.state >= 0, shares.regions >= 0, shares.municipalities >= 0 else { throw .negativeShare }
        let sum = shares.state + shares.regions + shares.municipalities
        guard sum == 10_000 else { throw .partySharesNotHundred(sum) }
        guard let parties = Allocation.largestRemainder(
            total, weights: [Int64(shares.state), Int64(shares.regions), Int64(shares.municipalities)])
        else { throw .partySharesNotHundred(sum) }

        var parts: [Part] = []
        if parties[0] > 0 {
            guard let state else { throw .nobodyToPay(party: "staten") }
            parts.append(Part(member: state, kronor: parties[0]))
        }
        parts += try within(parties[1], regions, keyed: regionsKeyed, party: "regionen")
        parts += try within(parties[2], municipalities, keyed: municipalitiesKeyed, party: "kommunerna")
        return parts
    }

    private static func within(_ amount: Int64, _ participants: [Participant], keyed: Bool, party: String) throws(Problem) -> [Part] {
        guard amount > 0 else { return participants.map { Part(member: $0.member, kronor: 0) } }
        guard !participants.isEmpty else { throw .nobodyToPay(party: party) }
        guard participants.allSatisfy({ $0.weight >= 0 }) else { throw .negativeShare }
        if keyed {
            let sum = participants.reduce(Int64(0)) { $0 + $1.weight }
            guard sum == 10_000 else { throw .keyNotHundred(party: party, sum: Int(sum)) }
        }
        guard let amounts = Allocation.largestRemainder(amount, weights: participants.map(\.weight)) else {
            throw .zeroWeights(party: party)
        }
        return zip(participants, amounts).map { Part(member: $0.member, kronor: $1) }
    }
}
