/// Decodes a row into a `Decodable` struct, matching coding keys to column names.
/// Each property's type must be `PostgresDecodable` (or an Optional of one).
extension PostgresRow {
    public func decode<T: Decodable>(as type: T.Type = T.self) throws -> T {
        try T(from: RowDecoder(row: self))
    }
}

extension QueryResult {
    /// Every row decoded into `T`.
    public func decode<T: Decodable>(as type: T.Type = T.self) throws -> [T] {
        try rows.map { try $0.decode(as: T.self) }
    }
}

private struct RowDecoder: Decoder {
    let row: PostgresRow
    var codingPath: [any CodingKey] { [] }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        KeyedDecodingContainer(RowContainer<Key>(row: row))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        throw DecodingError.typeMismatch([Any].self, .init(codingPath: [], debugDescription: "a row decodes into a keyed type"))
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer {
        throw DecodingError.typeMismatch(Any.self, .init(codingPath: [], debugDescription: "a row decodes into a keyed type"))
    }
}

private struct RowContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let row: PostgresRow
    var codingPath: [any CodingKey] { [] }
    var allKeys: [Key] { row.result.columns.compactMap { Key(stringValue: $0) } }

    func contains(_ key: Key) -> Bool { row.result.columnIndex(key.stringValue) != nil }

    private func position(_ key: Key) throws -> Int {
        guard let position = row.result.columnIndex(key.stringValue) else {
            throw DecodingError.keyNotFound(key, .init(codingPath: [key], debugDescription: "no column \(key.stringValue)"))
        }
        return position
    }

    func decodeNil(forKey key: Key) throws -> Bool { row.isNull(at: try position(key)) }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        guard let decodable = T.self as? any PostgresDecodable.Type else {
            throw DecodingError.typeMismatch(T.self, .init(codingPath: [key], debugDescription: "\(T.self) is not PostgresDecodable"))
        }
        return try decodeColumn(decodable, at: position(key)) as! T
    }

    private func decodeColumn<D: PostgresDecodable>(_ type: D.Type, at position: Int) throws -> D {
        try row.decode(D.self, at: position)
    }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
        throw DecodingError.typeMismatch(type, .init(codingPath: [key], debugDescription: "nested values are not supported"))
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        throw DecodingError.typeMismatch([Any].self, .init(codingPath: [key], debugDescription: "nested values are not supported"))
    }

    func superDecoder() throws -> any Decoder { RowDecoder(row: row) }
    func superDecoder(forKey key: Key) throws -> any Decoder { RowDecoder(row: row) }
}
