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
        var remainders: [(index: Int, remainder: UInt64, weight: Int64)] = []
        var assigned: UInt64 = 0
        for (index, weight) in weights.enumerated() {
            // magnitude × weight can exceed 64 bits for large figures: use the full-width product.
            let (high, low) = magnitude.multipliedFullWidth(by: UInt64(weight))
            let (quotient, remainder) = UInt64(sum).dividingFullWidth((high, low))
            parts.append(Int64(quotient))
            assigned += quotient
            remainders.append((index, remainder, weight))
        }
        var left = magnitude - assigned
        let order = remainders.sorted {
            if $0.remainder != $1.remainder { return $0.remainder > $1.remainder }
            if $0.weight != $1.weight { return $0.weight > $1.weight }
            return $0.index < $1.index
        }
        var position = 0
        while left > 0 {
            parts[order[position].index] += 1
            left -= 1
            position += 1
        }
        return total < 0 ? parts.map { -$0 } : parts
    }
}
