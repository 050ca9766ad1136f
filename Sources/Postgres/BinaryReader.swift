/// Why a value could not be decoded; turned into a `PostgresError` that names the column.
public enum PostgresDecodingFailure: Error, Sendable {
    case unexpectedNull
    case typeMismatch(expected: String, actual: PostgresType)
    case malformed(String)
    case outOfRange(String)
}

/// Reads big-endian binary wire values from a buffer without copying.
struct BinaryReader {
    let bytes: UnsafeRawBufferPointer
    private(set) var offset = 0

    init(_ bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

    var remaining: Int { bytes.count - offset }

    mutating func readBytes(_ count: Int) throws(PostgresDecodingFailure) -> UnsafeRawBufferPointer {
        guard count >= 0, remaining >= count else { throw .malformed("value shorter than expected") }
        defer { offset += count }
        return UnsafeRawBufferPointer(rebasing: bytes[offset..<offset + count])
    }

    private mutating func readInteger<T: FixedWidthInteger>(_: T.Type) throws(PostgresDecodingFailure) -> T {
        let size = MemoryLayout<T>.size
        guard remaining >= size else { throw .malformed("value shorter than expected") }
        defer { offset += size }
        return T(bigEndian: bytes.loadUnaligned(fromByteOffset: offset, as: T.self))
    }

    mutating func readInt16() throws(PostgresDecodingFailure) -> Int16 { try readInteger(Int16.self) }
    mutating func readUInt16() throws(PostgresDecodingFailure) -> UInt16 { try readInteger(UInt16.self) }
    mutating func readInt32() throws(PostgresDecodingFailure) -> Int32 { try readInteger(Int32.self) }
    mutating func readUInt32() throws(PostgresDecodingFailure) -> UInt32 { try readInteger(UInt32.self) }
    mutating func readInt64() throws(PostgresDecodingFailure) -> Int64 { try readInteger(Int64.self) }
}

extension [UInt8] {
    @inline(__always) mutating func appendInt16(_ value: Int16) { appendBigEndian(value) }
    @inline(__always) mutating func appendUInt16(_ value: UInt16) { appendBigEndian(value) }
    @inline(__always) mutating func appendInt32(_ value: Int32) { appendBigEndian(value) }
    @inline(__always) mutating func appendUInt32(_ value: UInt32) { appendBigEndian(value) }
    @inline(__always) mutating func appendInt64(_ value: Int64) { appendBigEndian(value) }

    @inline(__always) mutating func appendBigEndian<T: FixedWidthInteger>(_ value: T) {
        Swift.withUnsafeBytes(of: value.bigEndian) { append(contentsOf: $0) }
    }
}
