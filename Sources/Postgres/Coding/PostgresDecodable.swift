/// One field of a result row as it came from the server: its type, and its binary bytes or nil for NULL.
/// Valid only inside `PostgresDecodable.decode`; the bytes belong to the result.
public struct PostgresValue {
    public let type: PostgresType
    public let bytes: UnsafeRawBufferPointer?

    public var isNull: Bool { bytes == nil }

    func requireBytes() throws(PostgresDecodingFailure) -> UnsafeRawBufferPointer {
        guard let bytes else { throw .unexpectedNull }
        return bytes
    }

    func reader() throws(PostgresDecodingFailure) -> BinaryReader { BinaryReader(try requireBytes()) }
}

/// A Swift type a result column can be decoded into. A mismatch is an error that names the column.
public protocol PostgresDecodable: Sendable {
    static func decode(_ value: PostgresValue) throws(PostgresDecodingFailure) -> Self
}

extension Optional: PostgresDecodable where Wrapped: PostgresDecodable {
    public static func decode(_ value: PostgresValue) throws(PostgresDecodingFailure) -> Wrapped? {
        value.isNull ? nil : try Wrapped.decode(value)
    }
}

extension Int64: PostgresDecodable {
    public static func decode(_ value: PostgresValue) throws(PostgresDecodingFailure) -> Int64 {
        var reader = try value.reader()
        let result: Int64
        switch value.type {
        case .int8: result = try reader.readInt64()
        case .int4: result = Int64(try reader.readInt32())
        case .int2: result = Int64(try reader.readInt16())
        case .oid: result = Int64(try reader.readUInt32())
        default: throw .typeMismatch(expected: "an integer (int2, int4, int8)", actual: value.type)
        }
        guard reader.remaining == 0 else { throw .malformed("integer of unexpected length") }
        return result
    }
}

extension Int: PostgresDecodable {
    public static func decode(_ value: PostgresValue) throws(PostgresDecodingFailure) -> Int {
        Int(try Int64.decode(value))
    }
}

extension Int32: PostgresDecodable {
    public static func decode(_ value: PostgresValue) throws(PostgresDecodingFailure) -> Int32 {
        let wide = try Int64.decode(value)
        guard let narrow = Int32(exactly: wide) else { throw .outOfRange("\(wide) does not fit in Int32") }
        return narrow
    }
}

extension Int16: PostgresDecodable {
    public static func decode(_ value: PostgresValue) throws(PostgresDecodingFailure) -> Int16 {
        let wide = try Int64.decode(value)
        guard let narrow = Int16(exactly: wide) else { throw .outOfRange("\(wide) does not fit in Int16") }
        return narrow
    }
}

extension Bool: PostgresDecodable {
    public static func decode(_ value: PostgresValue) throws(PostgresDecodingFailure) -> Bool {
        guard value.type == .bool else { throw .typeMismatch(expected: "bool", actual: value.type) }
        let bytes = try value.requireBytes()
        guard bytes.count == 1 else { throw .malformed("bool of unexpected length") }
        return bytes[0] != 0
    }
}

extension String: PostgresDecodable {
    public static func decode(_ value: PostgresValue) throws(PostgresDecodingFailure) -> String {
        switch value.type {
        case .text, .varchar, .bpchar, .name, .unknown, .char:
            return String(decoding: try value.requireBytes(), as: UTF8.self)
        default:
            throw .typeMismatch(expected: "text", actual: value.type)
        }
    }
}

extension PostgresNumeric: PostgresDecodable {
    public static func decode(_ value: PostgresValue) throws(PostgresDecodingFailure) -> PostgresNumeric {
        switch value.type {
        case .numeric:
            var reader = try value.reader()
            return try PostgresNumeric(binary: &reader)
        case .int8, .int4, .int2:
            return PostgresNumeric(scaledInteger: try Int64.decode(value), scale: 0)
        default:
            throw .typeMismatch(expected: "numeric", actual: value.type)
        }
    }
}
