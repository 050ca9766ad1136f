/// How an intervention is funded (DOMAIN.md, Funding decisions and disbursements): a rate per FTE and half-year
/// (coaches), a fixed sum per half-year (e.g. a half-time coordinator per municipality).
public enum FundingModel: String, Sendable, Codable, CaseIterable {
    case fteRate = "fte-rate"
    case fixed

    public var swedishName: String { self == .fteRate ? "tjänst × schablon" : "fast belopp" }
}

/// One board decision as the computation needs it: the months it covers, the funded extent and the rate.
///
/// `extent` is what is funded in a month without an adjustment: for fte-rate the funded FTE, for a fixed sum the
/// share of the sum, 1.00 being all of it. A month's amount is `extent × rate / 6`.
public struct FundingTerms: Sendable, Equatable {
    public struct Adjustment: Sendable, Equatable {
        public var months: ClosedRange<Int>
        /// The extent in these months: another FTE, a percentage of a full-time post, or of the fixed sum; 0 when vacant.
        public var extent: FTE

        public init(months: ClosedRange<Int>, extent: FTE) {
            self.months = months
            self.extent = extent
        }
    }

    public var decisionID: Int64
    public var meetingDate: CalendarDate
    public var months: ClosedRange<Int>
    public var extent: FTE
    public var rateKronor: Int64
    public var adjustments: [Adjustment]

    public init(
        decisionID: Int64, meetingDate: CalendarDate, months: ClosedRange<Int>, extent: FTE, rateKronor: Int64,
        adjustments: [Adjustment] = []
    ) {
        self.decisionID = decisionID
        self.meetingDate = meetingDate
        self.months = months
        self.extent = extent
        self.rateKronor = rateKronor
        self.adjustments = adjustments
    }
}

/// What is funded in one month, and under which decision.
public struct FundedMonth: Sendable, Equatable {
    public var month: Int
    public var decisionID: Int64
    public var extent: FTE
    public var rateKronor: Int64

    public init(month: Int, decisionID: Int64, extent: FTE, rateKronor: Int64) {
        self.month = month
        self.decisionID = decisionID
        self.extent = extent
        self.rateKronor = rateKronor
    }
}

extension FundedMonth {
    /// The month's `extent × rate / 6` to the öre, for reading: the half-year's amount is rounded once, from the
    /// exact sum of the months, not from these.
    public var amount: Money {
        Money(öre: FundingCalculation.roundedHalfUp(extent.tenThousandths * rateKronor * 100, over: FTE.scale * 6))
    }
}

public enum FundingCalculation {
    /// The months of a half-year that some decision covers, each under the decision that stands for it: the one of
    /// the latest meeting (the database refuses two decisions of one meeting for one month; should two still meet,
    /// the one recorded last stands). Within that decision an adjustment covering the month gives its extent.
    public static func months(_ decisions: [FundingTerms]) -> [FundedMonth] {
        var standing: [Int: FundingTerms] = [:]
        for decision in decisions.sorted(by: { ($0.meetingDate, $0.decisionID) < ($1.meetingDate, $1.decisionID) }) {
            for month in decision.months { standing[month] = decision }
        }
        return standing.keys.sorted().map { month in
            let decision = standing[month]!
            let extent = decision.adjustments.first { $0.months.contains(month) }?.extent ?? decision.extent
            return FundedMonth(month: month, decisionID: decision.decisionID, extent: extent, rateKronor: decision.rateKronor)
        }
    }

    /// The half-year's amount: each month paid at `extent × rate / 6`, summed exactly, rounded once to whole
    /// kronor, half away from zero (DOMAIN.md: 4 × 1.00 × 40 000 + 2 × 0.50 × 40 000 = 200 000).
    public static func amountKronor(_ months: [FundedMonth]) -> Int64 {
        // Σ extent (1/10 000) × rate: at most 6 × 200 000 × 10^9, far inside Int64.
        let numerator = months.reduce(Int64(0)) { $0 + $1.extent.tenThousandths * $1.rateKronor }
        return roundedHalfUp(numerator, over: FTE.scale * 6)
    }

    /// numerator / denominator, both non-negative, to the nearest whole number, halves away from zero.
    static func roundedHalfUp(_ numerator: Int64, over denominator: Int64) -> Int64 {
        (numerator + denominator / 2) / denominator
    }

    /// The amount of a set of decisions for one half-year.
    public static func amountKronor(_ decisions: [FundingTerms]) -> Int64 { amountKronor(months(decisions)) }
}
