public import Foundation

/// An exact PostgreSQL `numeric` value: a sign, a decimal coefficient and a scale (digits after the point).
///
/// Money must never pass through floating point, and `Decimal(string:)` is not a safe parser either: it accepts
/// prefixes ("1,5" → 1) and silently loses digits past 38. This type parses strictly, keeps every digit the
/// server sends, and converts to `Decimal` or to an exact scaled integer (öre: scale 2) only when that is exact.
public struct PostgresNumeric: Sendable, Hashable, CustomStringConvertible {
    public enum Special: Sendable, Hashable { case nan, infinity, negativeInfinity }

    /// The coefficient's decimal digits as ASCII, without leading zeros (empty for zero).
    public private(set) var digits: [UInt8]
    /// The number of digits after the decimal point (PostgreSQL's display scale).
    public private(set) var scale: Int
    public private(set) var isNegative: Bool
    public private(set) var special: Special?

    public static let maximumScale = 0x3FFF

    public init(digits: [UInt8], scale: Int, isNegative: Bool) {
        var start = 0
        while start < digits.count && digits[start] == UInt8(ascii: "0") { start += 1 }
        self.digits = Array(digits[start...])
        self.scale = scale
        self.isNegative = isNegative && start < digits.count
        self.special = nil
    }

    public init(special: Special) {
        self.digits = []
        self.scale = 0
        self.isNegative = special == .negativeInfinity
        self.special = special
    }

    /// An exact integer scaled by 10^scale, e.g. `PostgresNumeric(scaledInteger: -1, scale: 2)` is -0.01.
    public init(scaledInteger value: Int64, scale: Int) {
        // The magnitude's decimal digits, most significant first, in one allocation (no String in between).
        var magnitude = value.magnitude
        var digits: [UInt8] = []
        if magnitude > 0 {
            var length = 0
            var rest = magnitude
            while rest > 0 { length += 1; rest /= 10 }
            digits = [UInt8](repeating: UInt8(ascii: "0"), count: length)
            var index = length - 1
            while magnitude > 0 {
                digits[index] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
                index -= 1
            }
        }
        self.digits = digits
        self.scale = scale
        self.isNegative = value < 0
        self.special = nil
    }

    public init(_ value: Int) {
        self.init(scaledInteger: Int64(value), scale: 0)
    }

    /// Parses PostgreSQL's numeric text (`-12.50`, `1e3`, `NaN`, `Infinity`) strictly: anything else throws.
    public init(_ text: String) throws(PostgresError) {
        switch text {
        case "NaN": self.init(special: .nan); return
        case "Infinity", "+Infinity": self.init(special: .infinity); return
        case "-Infinity": self.init(special: .negativeInfinity); return
        default: break
        }
        let bytes = Array(text.utf8)
        var i = 0
        var negative = false
        if i < bytes.count && (bytes[i] == UInt8(ascii: "-") || bytes[i] == UInt8(ascii: "+")) {
            negative = bytes[i] == UInt8(ascii: "-")
            i += 1
        }
        var coefficient: [UInt8] = []
        var scale = 0
        var sawDigit = false
        while i < bytes.count && bytes[i].isASCIIDigit { coefficient.append(bytes[i]); i += 1; sawDigit = true }
        if i < bytes.count && bytes[i] == UInt8(ascii: ".") {
            i += 1
            while i < bytes.count && bytes[i].isASCIIDigit {
                coefficient.append(bytes[i]); scale += 1; i += 1; sawDigit = true
            }
        }
        guard sawDigit else { throw Self.invalid(text) }
        if i < bytes.count && (bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E")) {
            i += 1
            var expNegative = false
            if i < bytes.count && (bytes[i] == UInt8(ascii: "-") || bytes[i] == UInt8(ascii: "+")) {
                expNegative = bytes[i] == UInt8(ascii: "-")
                i += 1
            }
            var exponent = 0
            var sawExponentDigit = false
            while i < bytes.count && bytes[i].isASCIIDigit {
                exponent = exponent * 10 + Int(bytes[i] - UInt8(ascii: "0"))
                guard exponent <= 100_000 else { throw Self.invalid(text) }
                i += 1
                sawExponentDigit = true
            }
            guard sawExponentDigit else { throw Self.invalid(text) }
            if expNegative {
                scale += exponent
            } else if exponent <= scale {
                scale -= exponent
            } else {
                coefficient.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: exponent - scale))
                scale = 0
            }
        }
        guard i == bytes.count, scale <= Self.maximumScale else { throw Self.invalid(text) }
        self.init(digits: coefficient, scale: scale, isNegative: negative)
    }

    /// Converts a `Decimal` exactly (a `Decimal` holds at most 38 digits, all of which fit).
    public init(_ decimal: Decimal) throws(PostgresError) {
        if decimal.isNaN { self.init(special: .nan); return }
        try self.init(decimal.description)
    }

    static func invalid(_ text: String) -> PostgresError {
        PostgresError(kind: .encoding, serverMessage: "not a numeric value: \"\(text.prefix(60))\"")
    }

    public var isZero: Bool { special == nil && digits.isEmpty }

    /// The text PostgreSQL itself prints for this value (`numeric_out`): e.g. `-0.01`, `10000`, `0.00001`.
    public var description: String {
        if let special {
            switch special {
            case .nan: return "NaN"
            case .infinity: return "Infinity"
            case .negativeInfinity: return "-Infinity"
            }
        }
        var out: [UInt8] = []
        out.reserveCapacity(digits.count + scale + 3)
        if isNegative { out.append(UInt8(ascii: "-")) }
        let integerCount = digits.count - scale
        if integerCount > 0 {
            out.append(contentsOf: digits[..<integerCount])
        } else {
            out.append(UInt8(ascii: "0"))
        }
        if scale > 0 {
            out.append(UInt8(ascii: "."))
            if integerCount < 0 { out.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: -integerCount)) }
            out.append(contentsOf: digits[max(integerCount, 0)...])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The value as a `Decimal`, when it fits exactly (at most 38 significant digits, finite).
    public func decimal() throws(PostgresError) -> Decimal {
        guard special == nil else {
            if special == .nan { return .nan }
            throw PostgresError(kind: .decoding, serverMessage: "an infinite numeric has no Decimal value")
        }
        var significant = digits
        var exponent = -scale
        while let last = significant.last, last == UInt8(ascii: "0") { significant.removeLast(); exponent += 1 }
        guard significant.count <= 38 else {
            throw PostgresError(kind: .decoding, serverMessage: "numeric with \(digits.count) digits does not fit in Decimal")
        }
        guard exponent >= -128 && exponent <= 127 else {
            throw PostgresError(kind: .decoding, serverMessage: "numeric exponent out of Decimal's range")
        }
        if significant.isEmpty { return Decimal(0) }
        // The digits are validated, so Decimal's parser only sees a plain run of at most 38 digits.
        guard let significand = Decimal(string: String(decoding: significant, as: UTF8.self)) else {
            throw PostgresError(kind: .decoding, serverMessage: "numeric does not fit in Decimal")
        }
        return Decimal(sign: isNegative ? .minus : .plus, exponent: exponent, significand: significand)
    }

    /// The value times 10^scale as an integer, e.g. kronor as öre with `scale: 2`.
    /// Throws when that is not exact (more non-zero fraction digits than `scale`) or does not fit in Int64.
    public func scaledInteger(scale target: Int) throws(PostgresError) -> Int64 {
        guard special == nil else {
            throw PostgresError(kind: .decoding, serverMessage: "\(description) has no integer value")
        }
        var coefficient = digits
        if scale > target {
            let drop = scale - target
            let dropped = coefficient.suffix(drop)
            guard dropped.allSatisfy({ $0 == UInt8(ascii: "0") }) else {
                throw PostgresError(kind: .decoding, serverMessage: "numeric has more than \(target) decimals")
            }
            coefficient.removeLast(min(drop, coefficient.count))
        } else if !coefficient.isEmpty {
            coefficient.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: target - scale))
        }
        var magnitude: UInt64 = 0
        for digit in coefficient {
            let (times10, o1) = magnitude.multipliedReportingOverflow(by: 10)
            let (sum, o2) = times10.addingReportingOverflow(UInt64(digit - UInt8(ascii: "0")))
            guard !o1 && !o2 else {
                throw PostgresError(kind: .decoding, serverMessage: "numeric out of range for a 64-bit integer")
            }
            magnitude = sum
        }
        if isNegative {
            guard magnitude <= UInt64(Int64.max) + 1 else {
                throw PostgresError(kind: .decoding, serverMessage: "numeric out of range for a 64-bit integer")
            }
            return magnitude == UInt64(Int64.max) + 1 ? Int64.min : -Int64(magnitude)
        }
        guard magnitude <= UInt64(Int64.max) else {
            throw PostgresError(kind: .decoding, serverMessage: "numeric out of range for a 64-bit integer")
        }
        return Int64(magnitude)
    }
}

extension UInt8 {
    var isASCIIDigit: Bool { self >= UInt8(ascii: "0") && self <= UInt8(ascii: "9") }
}
