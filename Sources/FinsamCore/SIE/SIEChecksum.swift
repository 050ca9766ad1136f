/// #KSUMMA: the CRC-32 (polynomial 0xEDB88320, pre- and post-inverted) that SIE 4 defines over the file's
/// content from the opening `#KSUMMA` up to the closing one. Only field contents count: each item's label and
/// each field's text without quotes, braces, separators or line ends, in the file's PC8 bytes.
public struct SIEChecksum: Sendable {
    private static let table: [UInt32] = (0..<256).map { index in
        var value = UInt32(index)
        for _ in 0..<8 { value = value & 1 == 1 ? (value >> 1) ^ 0xEDB8_8320 : value >> 1 }
        return value
    }

    private var state: UInt32 = 0xFFFF_FFFF

    public init() {}

    public mutating func add(_ text: String) {
        for byte in CodePage437.encode(text) {
            state = (state >> 8) ^ SIEChecksum.table[Int((state ^ UInt32(byte)) & 0xFF)]
        }
    }

    public var value: UInt32 { state ^ 0xFFFF_FFFF }
}
