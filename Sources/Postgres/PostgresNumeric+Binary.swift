/// The binary wire format of `numeric` (src/backend/utils/adt/numeric.c, `numeric_send`/`numeric_recv`):
/// int16 ndigits, int16 weight, uint16 sign, int16 dscale, then ndigits base-10000 digits, most significant first.
/// The value is Σ digit[i] × 10000^(weight − i).
extension PostgresNumeric {
    private static let positiveSign: UInt16 = 0x0000
    private static let negativeSign: UInt16 = 0x4000
    private static let nanSign: UInt16 = 0xC000
    private static let infinitySign: UInt16 = 0xD000
    private static let negativeInfinitySign: UInt16 = 0xF000

    init(binary reader: inout BinaryReader) throws(PostgresDecodingFailure) {
        let count = Int(try reader.readInt16())
        let weight = Int(try reader.readInt16())
        let sign = try reader.readUInt16()
        let displayScale = Int(try reader.readInt16())
        switch sign {
        case Self.nanSign: self.init(special: .nan); return
        case Self.infinitySign: self.init(special: .infinity); return
        case Self.negativeInfinitySign: self.init(special: .negativeInfinity); return
        case Self.positiveSign, Self.negativeSign: break
        default: throw .malformed("numeric sign \(sign)")
        }
        guard count >= 0, displayScale >= 0 else { throw .malformed("numeric header") }
        // Decimal digits of all groups; the point sits after (weight + 1) × 4 of them.
        var all: [UInt8] = []
        all.reserveCapacity(count * 4 + 8)
        if weight < -1 {
            all.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: (-weight - 1) * 4))
        }
        for _ in 0..<count {
            let group = try reader.readInt16()
            guard group >= 0 && group < 10000 else { throw .malformed("numeric digit \(group)") }
            let g = Int(group)
            all.append(UInt8(ascii: "0") + UInt8(g / 1000))
            all.append(UInt8(ascii: "0") + UInt8(g / 100 % 10))
            all.append(UInt8(ascii: "0") + UInt8(g / 10 % 10))
            all.append(UInt8(ascii: "0") + UInt8(g % 10))
        }
        let pointIndex = max(weight + 1, 0) * 4
        if all.count < pointIndex {
            all.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: pointIndex - all.count))
        }
        // Keep exactly displayScale fraction digits: pad with zeros, or cut (what is cut is zero by construction).
        let wanted = pointIndex + displayScale
        if all.count < wanted {
            all.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: wanted - all.count))
        } else if all.count > wanted {
            all.removeLast(all.count - wanted)
        }
        self.init(digits: all, scale: displayScale, isNegative: sign == Self.negativeSign)
    }

    func encodeBinary(into buffer: inout [UInt8]) {
        if let special {
            buffer.appendInt16(0)
            buffer.appendInt16(0)
            switch special {
            case .nan: buffer.appendUInt16(Self.nanSign)
            case .infinity: buffer.appendUInt16(Self.infinitySign)
            case .negativeInfinity: buffer.appendUInt16(Self.negativeInfinitySign)
            }
            buffer.appendInt16(0)
            return
        }
        let integerCount = max(digits.count - scale, 0)
        let integerDigits = digits[..<integerCount]
        let fractionDigits: [UInt8] =
            digits.count >= scale
            ? Array(digits[integerCount...])
            : Array(repeatElement(UInt8(ascii: "0"), count: scale - digits.count)) + digits
        // Pad the integer part on the left and the fraction on the right to whole groups of four.
        let integerPad = (4 - integerDigits.count % 4) % 4
        let fractionPad = (4 - fractionDigits.count % 4) % 4
        var padded: [UInt8] = Array(repeatElement(UInt8(ascii: "0"), count: integerPad))
        padded.append(contentsOf: integerDigits)
        padded.append(contentsOf: fractionDigits)
        padded.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: fractionPad))
        var groups: [Int16] = []
        groups.reserveCapacity(padded.count / 4)
        var i = 0
        while i < padded.count {
            var g = 0
            for j in 0..<4 { g = g * 10 + Int(padded[i + j] - UInt8(ascii: "0")) }
            groups.append(Int16(g))
            i += 4
        }
        var weight = (integerPad + integerDigits.count) / 4 - 1
        var first = 0
        while first < groups.count && groups[first] == 0 { first += 1; weight -= 1 }
        var last = groups.count
        while last > first && groups[last - 1] == 0 { last -= 1 }
        let significant = groups[first..<last]
        buffer.appendInt16(Int16(significant.count))
        buffer.appendInt16(significant.isEmpty ? 0 : Int16(weight))
        buffer.appendUInt16(isNegative && !significant.isEmpty ? Self.negativeSign : Self.positiveSign)
        buffer.appendInt16(Int16(scale))
        for group in significant { buffer.appendInt16(group) }
    }
}
