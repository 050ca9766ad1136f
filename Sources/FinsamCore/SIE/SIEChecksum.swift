/// #KSUMMA: the CRC-32 (polynomial 0xEDB88320, pre- and post-inverted) that SIE 4 defines over the items after
/// the opening `#KSUMMA` up to the closing one (neither #KSUMMA counts). Only field contents count: each item's
/// label and each field's text without quotes, braces, separators or line ends, in the file's PC8 bytes. Checked
/// against the checksums that Norstedts Bokslut, Norstedts Revision and another program wrote (five files of
/// jsisie's collection, Tests/Fixtures/sie-ksumma); the opening #KSUMMA was counted before, by
/// the reader and the writer alike, so Finsam refused real files and wrote files other programs refuse.
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
