/// Splits a whole into parts in proportion to weights so that the parts add up to the whole exactly
/// (DOMAIN.md, Money: the largest-remainder method; ties go to the larger base, then to the first in order).
public enum Allocation {
    /// `total` units (öre, kronor, tenths of a percent …) split by `weights`. Weights must be ≥ 0 and not all
    /// zero; returns nil otherwise.
    public static func largestRemainder(_ total: Int64, weights: [Int64]) -> [Int64]? {
        guard !weights.isEmpty, weights.allSatisfy({ $0 >= 0 }) else { return nil }
        let sum = weights.reduce(0, +)
        guard sum > 0 else { return nil }
        let magnitude = total.magnitude
        var parts: [Int64] = []
        var remainders: [UInt64] = []
        for weight in weights {
            // magnitude × weight can exceed 64 bits for large figures: use the full-width product.
            let (high, low) = magnitude.multipliedFullWidth(by: UInt64(weight))
            let (quotient, remainder) = UInt64(sum).dividingFullWidth((high, low))
            parts.append(Int64(quotient))
            remainders.append(remainder)
        }
        handOut(Int64(magnitude) - parts.reduce(0, +), to: &parts, remainders: remainders, weights: weights)
        return total < 0 ? parts.map { -$0 } : parts
    }

    /// Gives the `left` units the quotients did not, one each, to the largest remainders (ties: the larger
    /// weight, then the first in order).
    static func handOut<Remainder: Comparable, Weight: Comparable>(
        _ left: Int64, to parts: inout [Int64], remainders: [Remainder], weights: [Weight]
    ) {
        let order = parts.indices.sorted {
            if remainders[$0] != remainders[$1] { return remainders[$0] > remainders[$1] }
            if weights[$0] != weights[$1] { return weights[$0] > weights[$1] }
            return $0 < $1
        }
        for index in order.prefix(Int(left)) { parts[index] += 1 }
    }
}
