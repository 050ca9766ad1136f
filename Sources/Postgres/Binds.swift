/// Encoded parameters of one statement, ready for libpq: per parameter its type, format (always binary), length
/// and place in one contiguous buffer of values.
///
/// A class over memory of its own, so that libpq is handed plain pointers to arrays that stay put while the
/// object lives: sending costs no closure and no reference counting per array. A connection encodes all its
/// one-at-a-time queries into one `Binds` (`Connection.scratchBinds`), so a round trip allocates nothing for its
/// parameters; a pipeline encodes each of its statements into one of its own before the first is sent.
///
/// Not `Sendable`: it belongs to the connection that encodes and sends it, on that connection's thread.
final class Binds {
    /// How many parameters are encoded.
    private(set) var count = 0
    private var capacity = 0
    /// The parameters' type OIDs; the server fixes them at PREPARE, so they are part of a statement's cache key.
    private(set) var types: UnsafeMutablePointer<UInt32>
    private var formats: UnsafeMutablePointer<Int32>
    private var lengths: UnsafeMutablePointer<Int32>
    /// Where each value starts in `data`; `Binds.null` for a NULL.
    private var offsets: UnsafeMutablePointer<Int>
    private var values: UnsafeMutablePointer<UnsafePointer<CChar>?>
    /// The encoded values, one after the other (PostgresEncodable writes into a `[UInt8]`).
    private var data: [UInt8] = []

    private static let null = -1
    /// PostgreSQL's limit for one value (MaxAllocSize, 1 GB).
    private static let largestValue = 1 << 30

    init(capacity: Int = 4) {
        self.capacity = max(1, capacity)
        types = .allocate(capacity: self.capacity)
        formats = .allocate(capacity: self.capacity)
        lengths = .allocate(capacity: self.capacity)
        offsets = .allocate(capacity: self.capacity)
        values = .allocate(capacity: self.capacity)
    }

    convenience init(_ parameters: [any PostgresEncodable]) throws(PostgresError) {
        self.init(capacity: parameters.count)
        try encode(parameters)
    }

    deinit {
        types.deallocate()
        formats.deallocate()
        lengths.deallocate()
        offsets.deallocate()
        values.deallocate()
    }

    /// The types, as the statement cache and `PQprepare` take them.
    var typeList: UnsafeBufferPointer<UInt32> { UnsafeBufferPointer(start: types, count: count) }

    /// Replaces what is encoded with `parameters`, reusing the memory (it grows when more are needed).
    /// If encoding a value fails, the error is thrown and nothing usable is left: encode again before sending.
    func encode(_ parameters: [any PostgresEncodable]) throws(PostgresError) {
        count = 0
        reserve(parameters.count)
        // One access to `data` for all the values (each access to a class's stored property is checked at run time).
        count = try Binds.encode(parameters, into: &data, types, formats, lengths, offsets)
    }

    private static func encode(
        _ parameters: [any PostgresEncodable], into data: inout [UInt8], _ types: UnsafeMutablePointer<UInt32>,
        _ formats: UnsafeMutablePointer<Int32>, _ lengths: UnsafeMutablePointer<Int32>, _ offsets: UnsafeMutablePointer<Int>
    ) throws(PostgresError) -> Int {
        if !data.isEmpty { data.removeAll(keepingCapacity: true) }
        for (index, parameter) in parameters.enumerated() {
            types[index] = type(of: parameter).postgresType.rawValue
            formats[index] = 1
            if parameter.isNull {
                offsets[index] = null
                lengths[index] = 0
            } else {
                let start = data.count
                try parameter.encode(into: &data)
                let length = data.count - start
                guard length < largestValue else {
                    throw PostgresError.misuse("parameter \(index + 1) is larger than the 1 GB PostgreSQL accepts for a value")
                }
                offsets[index] = start
                lengths[index] = Int32(length)
            }
        }
        return parameters.count
    }

    private func reserve(_ wanted: Int) {
        guard wanted > capacity else { return }
        let grown = max(wanted, 2 * capacity)
        // Nothing encoded needs keeping: `encode` starts from the beginning.
        types.deallocate()
        formats.deallocate()
        lengths.deallocate()
        offsets.deallocate()
        values.deallocate()
        types = .allocate(capacity: grown)
        formats = .allocate(capacity: grown)
        lengths = .allocate(capacity: grown)
        offsets = .allocate(capacity: grown)
        values = .allocate(capacity: grown)
        capacity = grown
    }

    /// Calls `body` with the arrays `PQexecPrepared`, `PQsendQueryPrepared` and `PQexecParams` take: the values,
    /// their lengths and their formats (nil, nil, nil when there are no parameters). Valid during the call only.
    func withCArrays<R>(
        _ body: (UnsafePointer<UnsafePointer<CChar>?>?, UnsafePointer<Int32>?, UnsafePointer<Int32>?) -> R
    ) -> R {
        if count == 0 { return body(nil, nil, nil) }
        return data.withUnsafeBytes { storage in
            for index in 0..<count {
                let offset = offsets[index]
                if offset == Binds.null {
                    values[index] = nil
                } else if lengths[index] == 0 {
                    // libpq reads NULL as SQL NULL: an empty string or bytea still needs an address.
                    values[index] = Binds.emptyValue
                } else {
                    values[index] = (storage.baseAddress! + offset).assumingMemoryBound(to: CChar.self)
                }
            }
            return body(UnsafePointer(values), UnsafePointer(lengths), UnsafePointer(formats))
        }
    }

    /// The address given for an empty value: the NUL byte of an empty string literal, in read-only memory.
    private static var emptyValue: UnsafePointer<CChar> {
        UnsafeRawPointer(("" as StaticString).utf8Start).assumingMemoryBound(to: CChar.self)
    }
}
