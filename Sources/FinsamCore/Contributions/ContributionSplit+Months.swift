import BigInt

/// Members joining or leaving during the year (DOMAIN.md, Member contributions; issue 4): a municipality pays
/// for its months only, and each month's part of the municipalities' amount is shared by those who are members
/// that month, by their weights (population or agreed key). The year's amount of each municipality is the sum
/// of its exact monthly parts, rounded once by the largest-remainder method, so the parts still add up to the
/// total exactly; with everyone a member all year it is the same split as `ContributionSplit.split`.
extension ContributionSplit {
    public struct MonthlyParticipant: Sendable, Equatable {
        public var member: String
        public var weight: Int64
        /// The months of the year it is a member, 1…12.
        public var months: ClosedRange<Int>

        public init(member: String, weight: Int64, months: ClosedRange<Int> = 1...12) {
            self.member = member
            self.weight = weight
            self.months = months
        }
    }

    /// Each participant's exact part of each month, as numerators over one common denominator: month `m` of
    /// participant `i` is `numerators[i][m - 1] / denominator` of the year's amount. The numerators of all
    /// participants and months add up to the denominator.
    public struct MonthlyWeights: Sendable, Equatable {
        public let members: [String]
        let numerators: [[BigUInt]]
        let denominator: BigUInt

        /// The year's amount split between the participants, exact to the krona.
        public func split(_ kronor: Int64) -> [Int64] {
            Allocation.largestRemainder(kronor, exactWeights: numerators.map { $0.reduce(0, +) }) ?? members.map { _ in 0 }
        }

        /// A participant's year amount split into the installments of `schedule`, by its months in each.
        public func installments(of kronor: Int64, member index: Int, schedule: InvoiceSchedule) -> [Int64] {
            let weights = (1...schedule.installments).map { k in
                schedule.months(ofInstallment: k).reduce(BigUInt(0)) { $0 + numerators[index][$1 - 1] }
            }
            return Allocation.largestRemainder(kronor, exactWeights: weights) ?? weights.map { _ in 0 }
        }

        /// The months in which participant `index` pays something.
        public func months(of index: Int) -> [Int] { (1...12).filter { numerators[index][$0 - 1] > 0 } }
    }

    /// The exact monthly parts of `participants`. Refused when a month has nobody to pay it, or everyone of a
    /// month has weight zero.
    public static func monthlyWeights(_ participants: [MonthlyParticipant], party: String) throws(Problem) -> MonthlyWeights {
        guard participants.allSatisfy({ $0.weight >= 0 }) else { throw .negativeShare }
        var monthTotals: [BigUInt] = []
        for month in 1...12 {
            let present = participants.filter { $0.months.contains(month) }
            guard !present.isEmpty else { throw .nobodyToPay(party: "\(party) i \(SwedishMonth.name(month))") }
            let total = present.reduce(BigUInt(0)) { $0 + BigUInt($1.weight) }
            guard total > 0 else { throw .zeroWeights(party: party) }
            monthTotals.append(total)
        }
        // The least common multiple of the months' totals: every month's parts become whole numerators.
        let common = monthTotals.reduce(BigUInt(1)) { $0 / $0.greatestCommonDivisor(with: $1) * $1 }
        let numerators = participants.map { participant in
            (1...12).map { month in
                participant.months.contains(month) ? BigUInt(participant.weight) * (common / monthTotals[month - 1]) : 0
            }
        }
        return MonthlyWeights(members: participants.map(\.member), numerators: numerators, denominator: common * 12)
    }
}

extension Allocation {
    /// `total` split by weights of any size (the same rule and ties as `largestRemainder(_:weights:)`).
    static func largestRemainder(_ total: Int64, exactWeights weights: [BigUInt]) -> [Int64]? {
        let sum = weights.reduce(BigUInt(0), +)
        guard !weights.isEmpty, sum > 0 else { return nil }
        let magnitude = BigUInt(total.magnitude)
        var parts: [Int64] = []
        var remainders: [BigUInt] = []
        for weight in weights {
            let (quotient, remainder) = (magnitude * weight).quotientAndRemainder(dividingBy: sum)
            parts.append(Int64(quotient))
            remainders.append(remainder)
        }
        handOut(Int64(total.magnitude) - parts.reduce(0, +), to: &parts, remainders: remainders, weights: weights)
        return total < 0 ? parts.map { -$0 } : parts
    }
}

/// Swedish month names, for messages and tables.
public enum SwedishMonth {
    static let names = ["januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti", "september",
                        "oktober", "november", "december"]

    public static func name(_ month: Int) -> String { (1...12).contains(month) ? names[month - 1] : "månad \(month)" }

    /// `jan–jun`, or `helår` for the whole year.
    public static func range(_ months: ClosedRange<Int>) -> String {
        if months == 1...12 { return "helår" }
        let first = String(name(months.lowerBound).prefix(3)), last = String(name(months.upperBound).prefix(3))
        return months.count == 1 ? first : "\(first)–\(last)"
    }
}
