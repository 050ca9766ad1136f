/// A PostgreSQL type, by its OID (the built-in ones are fixed in `pg_type.dat`).
public struct PostgresType: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public var rawValue: UInt32
    public init(rawValue: UInt32) { self.rawValue = rawValue }
    public init(_ oid: UInt32) { self.rawValue = oid }

    public static let unspecified = PostgresType(0)
    public static let bool = PostgresType(16)
    public static let bytea = PostgresType(17)
    public static let char = PostgresType(18)
    public static let name = PostgresType(19)
    public static let int8 = PostgresType(20)
    public static let int2 = PostgresType(21)
    public static let int4 = PostgresType(23)
    public static let text = PostgresType(25)
    public static let oid = PostgresType(26)
    public static let json = PostgresType(114)
    public static let bpchar = PostgresType(1042)
    public static let varchar = PostgresType(1043)
    public static let date = PostgresType(1082)
    public static let timestamp = PostgresType(1114)
    public static let timestamptz = PostgresType(1184)
    public static let numeric = PostgresType(1700)
    public static let uuid = PostgresType(2950)
    public static let jsonb = PostgresType(3802)
    public static let unknown = PostgresType(705)
    public static let boolArray = PostgresType(1000)
    public static let int2Array = PostgresType(1005)
    public static let int4Array = PostgresType(1007)
    public static let textArray = PostgresType(1009)
    public static let varcharArray = PostgresType(1015)
    public static let int8Array = PostgresType(1016)
    public static let numericArray = PostgresType(1231)
    public static let uuidArray = PostgresType(2951)

    public var description: String {
        switch self {
        case .bool: "bool"
        case .bytea: "bytea"
        case .char: "char"
        case .name: "name"
        case .int8: "int8"
        case .int2: "int2"
        case .int4: "int4"
        case .text: "text"
        case .oid: "oid"
        case .json: "json"
        case .bpchar: "bpchar"
        case .varchar: "varchar"
        case .date: "date"
        case .timestamp: "timestamp"
        case .timestamptz: "timestamptz"
        case .numeric: "numeric"
        case .uuid: "uuid"
        case .jsonb: "jsonb"
        case .unknown: "unknown"
        case .int8Array: "int8[]"
        case .int4Array: "int4[]"
        case .int2Array: "int2[]"
        case .textArray: "text[]"
        case .varcharArray: "varchar[]"
        case .numericArray: "numeric[]"
        case .uuidArray: "uuid[]"
        case .boolArray: "bool[]"
        default: "oid \(rawValue)"
        }
    }

    /// The element type of a one-dimensional array type this wrapper knows.
    var arrayElement: PostgresType? {
        switch self {
        case .int8Array: .int8
        case .int4Array: .int4
        case .int2Array: .int2
        case .textArray: .text
        case .varcharArray: .varchar
        case .numericArray: .numeric
        case .uuidArray: .uuid
        case .boolArray: .bool
        default: nil
        }
    }
}
