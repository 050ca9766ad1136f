/// How often a member is invoiced its yearly contribution (DOMAIN.md: yearly, per half-year or per quarter).
/// Each installment is invoiced in the first month of its part of the year; the installments are equal parts
/// of the year's amount, exact to the krona (largest remainder: the first ones take the spare kronor).
public enum InvoiceSchedule: String, Sendable, Codable, CaseIterable {
    case yearly
    case halfYearly = "half-yearly"
    case quarterly

    /// The schedule that splits a year into `installments` invoices (1, 2 or 4).
    public init?(installments: Int) {
        guard let schedule = Self.allCases.first(where: { $0.installments == installments }) else { return nil }
        self = schedule
    }

    public var installments: Int {
        switch self {
        case .yearly: 1
        case .halfYearly: 2
        case .quarterly: 4
        }
    }

    /// The month (1–12) in which installment `n` (1-based) is invoiced.
    public func month(ofInstallment n: Int) -> Int { 1 + (n - 1) * (12 / installments) }

    /// The months installment `n` covers: the third of four is 7…9.
    public func months(ofInstallment n: Int) -> ClosedRange<Int> {
        let first = month(ofInstallment: n)
        return first...(first + 12 / installments - 1)
    }

    /// The installments of `yearlyKronor`, in order, adding up to it exactly.
    public func split(_ yearlyKronor: Int64) -> [Int64] {
        Allocation.largestRemainder(yearlyKronor, weights: Array(repeating: 1, count: installments))!
    }

    /// How an invoice names its part of the year, e.g. `2024`, `2024 halvår 2`, `2024 kvartal 3`.
    public func label(year: Int, installment: Int) -> String {
        switch self {
        case .yearly: "\(year)"
        case .halfYearly: "\(year) halvår \(installment)"
        case .quarterly: "\(year) kvartal \(installment)"
        }
    }

    public var swedishName: String {
        switch self {
        case .yearly: "helår"
        case .halfYearly: "halvår"
        case .quarterly: "kvartal"
        }
    }
}

/// The period an invoice run covers: a year (`2024`), a half (`2024H1`), a quarter (`2024Q3`) or a month
/// (`2024-03`). The run invoices every installment whose month lies in it.
public struct InvoicePeriod: Sendable, Hashable, CustomStringConvertible {
    public let year: Int
    public let months: ClosedRange<Int>
    public let description: String

    public init?(_ text: String) {
        let upper = text.uppercased()
        func year(_ prefix: Substring) -> Int? {
            guard prefix.count == 4, let value = Int(prefix), (2004...2200).contains(value) else { return nil }
            return value
        }
        if let y = year(Substring(upper)) {
            self.year = y; months = 1...12
        } else if upper.count == 6, let y = year(upper.prefix(4)), upper.dropFirst(4).first == "H",
                  let half = Int(upper.suffix(1)), (1...2).contains(half) {
            self.year = y; months = (half - 1) * 6 + 1...half * 6
        } else if upper.count == 6, let y = year(upper.prefix(4)), upper.dropFirst(4).first == "Q",
                  let quarter = Int(upper.suffix(1)), (1...4).contains(quarter) {
            self.year = y; months = (quarter - 1) * 3 + 1...quarter * 3
        } else if upper.count == 7, let y = year(upper.prefix(4)), upper.dropFirst(4).first == "-",
                  let month = Int(upper.suffix(2)), (1...12).contains(month) {
            self.year = y; months = month...month
        } else {
            return nil
        }
        description = upper
    }
}
