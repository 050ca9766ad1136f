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
        // The decimal string is: the integer digits, then exactly `scale` fraction digits (leading zeros when the
        // coefficient is shorter than the scale), padded with zeros on the left and right to whole groups of
        // four. The groups are computed straight from `digits`, with no intermediate arrays (COPY encodes
        // millions of these).
        let count = digits.count
        let integerCount = max(count - scale, 0)
        let fractionZeros = max(scale - count, 0)
        let integerPad = (4 - integerCount % 4) % 4
        let fractionPad = (4 - scale % 4) % 4
        let groupCount = (integerPad + integerCount + scale + fractionPad) / 4
        let digits = self.digits
        func digitValue(_ position: Int) -> Int {
            var k = position - integerPad
            if k < 0 { return 0 }
            if k < integerCount { return Int(digits[k] &- UInt8(ascii: "0")) }
            k -= integerCount
            guard k < scale else { return 0 }
            if k < fractionZeros { return 0 }
            return Int(digits[integerCount + k - fractionZeros] &- UInt8(ascii: "0"))
        }
        func group(_ index: Int) -> Int16 {
            let p = index * 4
            return Int16(digitValue(p) * 1000 + digitValue(p + 1) * 100 + digitValue(p + 2) * 10 + digitValue(p + 3))
        }
        var first = 0
        while first < groupCount && group(first) == 0 { first += 1 }
        var last = groupCount
        while last > first && group(last - 1) == 0 { last -= 1 }
        let weight = (integerPad + integerCount) / 4 - 1 - first
        let significant = last - first
        buffer.appendInt16(Int16(significant))
        buffer.appendInt16(significant == 0 ? 0 : Int16(weight))
        buffer.appendUInt16(isNegative && significant > 0 ? Self.negativeSign : Self.positiveSign)
        buffer.appendInt16(Int16(scale))
        for index in first..<last { buffer.appendInt16(group(index)) }
    }
}
