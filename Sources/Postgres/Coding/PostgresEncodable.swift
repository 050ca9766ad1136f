/// A Swift value that can be sent to the server as a bound parameter (never spliced into SQL text).
///
/// Every value is sent in PostgreSQL's *binary* format with its type's OID. Binary is exact (numeric digits,
/// timestamps to the microsecond), needs no parsing on either side, and does not depend on session settings
/// such as DateStyle or lc_numeric. The SQL can cast where the server should convert (`$1::int4`).
public protocol PostgresEncodable: Sendable {
    /// The type the server is told this parameter has.
    static var postgresType: PostgresType { get }
    /// Appends the binary representation (without the length word).
    func encode(into buffer: inout [UInt8]) throws(PostgresError)
    /// True for SQL NULL (only `Optional.none` is NULL).
    var isNull: Bool { get }
}

extension PostgresEncodable {
    public var isNull: Bool { false }
}

extension Optional: PostgresEncodable where Wrapped: PostgresEncodable {
    public static var postgresType: PostgresType { Wrapped.postgresType }
    public func encode(into buffer: inout [UInt8]) throws(PostgresError) {
        if let value = self { try value.encode(into: &buffer) }
    }
    public var isNull: Bool { self == nil }
}

extension Int: PostgresEncodable {
    public static var postgresType: PostgresType { .int8 }
    public func encode(into buffer: inout [UInt8]) { buffer.appendInt64(Int64(self)) }
}

extension Int64: PostgresEncodable {
    public static var postgresType: PostgresType { .int8 }
    public func encode(into buffer: inout [UInt8]) { buffer.appendInt64(self) }
}

extension Int32: PostgresEncodable {
    public static var postgresType: PostgresType { .int4 }
    public func encode(into buffer: inout [UInt8]) { buffer.appendInt32(self) }
}

extension Int16: PostgresEncodable {
    public static var postgresType: PostgresType { .int2 }
    public func encode(into buffer: inout [UInt8]) { buffer.appendInt16(self) }
}

extension Bool: PostgresEncodable {
    public static var postgresType: PostgresType { .bool }
    public func encode(into buffer: inout [UInt8]) { buffer.append(self ? 1 : 0) }
}

extension String: PostgresEncodable {
    public static var postgresType: PostgresType { .text }
    public func encode(into buffer: inout [UInt8]) throws(PostgresError) {
        // A text value can hold any Unicode but NUL, which PostgreSQL refuses anyway: say so up front.
        let start = buffer.count
        buffer.append(contentsOf: utf8)
        if buffer[start...].contains(0) {
            buffer.removeSubrange(start...)
            throw PostgresError(kind: .encoding, serverMessage: "text values cannot contain NUL characters")
        }
    }
}

extension Substring: PostgresEncodable {
    public static var postgresType: PostgresType { .text }
    public func encode(into buffer: inout [UInt8]) throws(PostgresError) { try String(self).encode(into: &buffer) }
}

extension PostgresNumeric: PostgresEncodable {
    public static var postgresType: PostgresType { .numeric }
    public func encode(into buffer: inout [UInt8]) { encodeBinary(into: &buffer) }
}

/// `bytea`: raw bytes.
public struct PostgresBytes: PostgresEncodable, PostgresDecodable, Hashable {
    public var bytes: [UInt8]
    public init(_ bytes: [UInt8]) { self.bytes = bytes }
    public static var postgresType: PostgresType { .bytea }
    public func encode(into buffer: inout [UInt8]) { buffer.append(contentsOf: bytes) }
    public static func decode(_ value: PostgresValue) throws(PostgresDecodingFailure) -> PostgresBytes {
        guard value.type == .bytea else { throw .typeMismatch(expected: "bytea", actual: value.type) }
        return PostgresBytes(Array(try value.requireBytes()))
    }
}

/// `jsonb`: a JSON document as its UTF-8 text. The binary format is a version byte (1) and the text.
public struct PostgresJSON: PostgresEncodable, PostgresDecodable, Hashable {
    public var text: String
    public init(_ text: String) { self.text = text }
    public static var postgresType: PostgresType { .jsonb }
    public func encode(into buffer: inout [UInt8]) {
        buffer.append(1)
        buffer.append(contentsOf: text.utf8)
    }
    public static func decode(_ value: PostgresValue) throws(PostgresDecodingFailure) -> PostgresJSON {
        let bytes = try value.requireBytes()
        switch value.type {
        case .jsonb:
            guard bytes.first == 1 else { throw .malformed("unknown jsonb version") }
            return PostgresJSON(String(decoding: bytes.dropFirst(), as: UTF8.self))
        case .json:
            return PostgresJSON(String(decoding: bytes, as: UTF8.self))
        default:
            throw .typeMismatch(expected: "jsonb", actual: value.type)
        }
    }
}
