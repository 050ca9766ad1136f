/// One-dimensional arrays (`int8[]`, `text[]`, …) in the binary array format: int32 ndim, int32 has-null flag,
/// uint32 element OID, then per dimension int32 size and int32 lower bound, then each element as int32 length
/// (-1 for NULL) and its bytes.
public protocol PostgresArrayElement: PostgresEncodable, PostgresDecodable {
    static var postgresArrayType: PostgresType { get }
}

extension Int: PostgresArrayElement { public static var postgresArrayType: PostgresType { .int8Array } }
extension Int64: PostgresArrayElement { public static var postgresArrayType: PostgresType { .int8Array } }
extension Int32: PostgresArrayElement { public static var postgresArrayType: PostgresType { .int4Array } }
extension String: PostgresArrayElement { public static var postgresArrayType: PostgresType { .textArray } }
extension Bool: PostgresArrayElement { public static var postgresArrayType: PostgresType { .boolArray } }
extension PostgresNumeric: PostgresArrayElement { public static var postgresArrayType: PostgresType { .numericArray } }

extension Optional: PostgresArrayElement where Wrapped: PostgresArrayElement {
    public static var postgresArrayType: PostgresType { Wrapped.postgresArrayType }
}

extension Array: PostgresEncodable where Element: PostgresArrayElement {
    public static var postgresType: PostgresType { Element.postgresArrayType }

    public func encode(into buffer: inout [UInt8]) throws(PostgresError) {
        if isEmpty {
            buffer.appendInt32(0)
            buffer.appendInt32(0)
            buffer.appendUInt32(Element.postgresType.rawValue)
            return
        }
        buffer.appendInt32(1)
        buffer.appendInt32(contains(where: \.isNull) ? 1 : 0)
        buffer.appendUInt32(Element.postgresType.rawValue)
        buffer.appendInt32(Int32(count))
        buffer.appendInt32(1)
        for element in self {
            if element.isNull {
                buffer.appendInt32(-1)
                continue
            }
            let lengthAt = buffer.count
            buffer.appendInt32(0)
            try element.encode(into: &buffer)
            let length = Int32(buffer.count - lengthAt - 4)
            Swift.withUnsafeBytes(of: length.bigEndian) { raw in
                for i in 0..<4 { buffer[lengthAt + i] = raw[i] }
            }
        }
    }
}

extension Array: PostgresDecodable where Element: PostgresDecodable {
    public static func decode(_ value: PostgresValue) throws(PostgresDecodingFailure) -> [Element] {
        guard let elementType = value.type.arrayElement else {
            throw .typeMismatch(expected: "an array", actual: value.type)
        }
        var reader = try value.reader()
        let dimensions = try reader.readInt32()
        _ = try reader.readInt32()
        let declared = PostgresType(try reader.readUInt32())
        guard declared == elementType else { throw .malformed("array element type \(declared)") }
        if dimensions == 0 { return [] }
        guard dimensions == 1 else { throw .malformed("only one-dimensional arrays are supported") }
        let count = Int(try reader.readInt32())
        _ = try reader.readInt32()
        guard count >= 0 else { throw .malformed("negative array size") }
        var result: [Element] = []
        result.reserveCapacity(count)
        for _ in 0..<count {
            let length = Int(try reader.readInt32())
            let element: PostgresValue =
                length < 0
                ? PostgresValue(type: elementType, bytes: nil)
                : PostgresValue(type: elementType, bytes: try reader.readBytes(length))
            result.append(try Element.decode(element))
        }
        return result
    }
}
