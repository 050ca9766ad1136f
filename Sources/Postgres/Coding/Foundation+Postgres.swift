public import Foundation

/// `numeric` ⇄ `Decimal`, exactly: decoding refuses a value with more than 38 significant digits.
extension Decimal: PostgresEncodable, PostgresDecodable {
    public static var postgresType: PostgresType { .numeric }
    public func encode(into buffer: inout [UInt8]) throws(PostgresError) {
        try PostgresNumeric(self).encodeBinary(into: &buffer)
    }
    public static func decode(_ value: PostgresValue) throws(PostgresDecodingFailure) -> Decimal {
        let numeric = try PostgresNumeric.decode(value)
        do {
            return try numeric.decimal()
        } catch {
            throw .outOfRange(error.serverMessage ?? "numeric does not fit in Decimal")
        }
    }
}

/// PostgreSQL's epoch for dates and timestamps: 2000-01-01 00:00:00 UTC.
let postgresEpochOffsetSeconds: Int64 = 946_684_800

/// `timestamptz` ⇄ `Date`, as microseconds since 2000-01-01 UTC (the binary format; no TimeZone involved).
extension Date: PostgresEncodable, PostgresDecodable {
    public static var postgresType: PostgresType { .timestamptz }
    public func encode(into buffer: inout [UInt8]) {
        let seconds = timeIntervalSince1970 - Double(postgresEpochOffsetSeconds)
        buffer.appendInt64(Int64((seconds * 1_000_000).rounded()))
    }
    public static func decode(_ value: PostgresValue) throws(PostgresDecodingFailure) -> Date {
        guard value.type == .timestamptz || value.type == .timestamp else {
            throw .typeMismatch(expected: "timestamptz", actual: value.type)
        }
        var reader = try value.reader()
        let micros = try reader.readInt64()
        guard micros != Int64.max && micros != Int64.min else { throw .outOfRange("infinite timestamp") }
        let seconds = Double(micros / 1_000_000) + Double(micros % 1_000_000) / 1_000_000
        return Date(timeIntervalSince1970: seconds + Double(postgresEpochOffsetSeconds))
    }
}

/// `uuid` ⇄ `UUID`: 16 bytes.
extension UUID: PostgresEncodable, PostgresDecodable {
    public static var postgresType: PostgresType { .uuid }
    public func encode(into buffer: inout [UInt8]) {
        withUnsafeBytes(of: uuid) { buffer.append(contentsOf: $0) }
    }
    public static func decode(_ value: PostgresValue) throws(PostgresDecodingFailure) -> UUID {
        guard value.type == .uuid else { throw .typeMismatch(expected: "uuid", actual: value.type) }
        let bytes = try value.requireBytes()
        guard bytes.count == 16 else { throw .malformed("uuid of unexpected length") }
        var raw: uuid_t = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        withUnsafeMutableBytes(of: &raw) { $0.copyMemory(from: bytes) }
        return UUID(uuid: raw)
    }
}

/// `bytea` ⇄ `Data`.
extension Data: PostgresEncodable, PostgresDecodable {
    public static var postgresType: PostgresType { .bytea }
    public func encode(into buffer: inout [UInt8]) { buffer.append(contentsOf: self) }
    public static func decode(_ value: PostgresValue) throws(PostgresDecodingFailure) -> Data {
        guard value.type == .bytea else { throw .typeMismatch(expected: "bytea", actual: value.type) }
        return Data(try value.requireBytes())
    }
}
