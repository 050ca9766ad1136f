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
    private var count = 0
    private var capacity = 0
    /// The parameters' type OIDs; the server fixes them at PREPARE, so they are part of a statement's cache key.
    private var types: UnsafeMutablePointer<UInt32>
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

    /// What libpq takes for a statement's parameters (all nil when there are none). Valid only inside the call
    /// that hands it out: the pointers lead into the `Binds` and into its buffer of values.
    struct Encoded {
        let count: Int32
        let types: UnsafePointer<UInt32>?
        let values: UnsafePointer<UnsafePointer<CChar>?>?
        let lengths: UnsafePointer<Int32>?
        let formats: UnsafePointer<Int32>?

        /// The types, as the statement cache takes them.
        var typeList: UnsafeBufferPointer<UInt32> { UnsafeBufferPointer(start: types, count: Int(count)) }
    }

    /// Replaces what is encoded with `parameters`, reusing the memory (it grows when more are needed), to be
    /// sent later (`withEncoded`): a pipeline encodes all its statements before it sends the first.
    /// If encoding a value fails, the error is thrown and nothing usable is left: encode again before sending.
    func encode(_ parameters: [any PostgresEncodable]) throws(PostgresError) {
        count = 0
        reserve(parameters.count)
        // One access to `data` for all the values (each access to a class's stored property is checked at run time).
        count = try Binds.encode(parameters, into: &data, types, formats, lengths, offsets)
    }

    /// The types `encode` encoded, as the statement cache takes them; valid until the next encoding.
    var typeList: UnsafeBufferPointer<UInt32> { UnsafeBufferPointer(start: types, count: count) }

    /// Calls `body` with what `encode` encoded.
    func withEncoded<R>(_ body: (Encoded) -> R) -> R {
        let (count, types, formats, lengths, offsets, values) = (count, types, formats, lengths, offsets, values)
        return data.withUnsafeBytes { storage in
            body(Binds.encoded(storage, count, types, formats, lengths, offsets, values))
        }
    }

    /// Encodes `parameters` and calls `body` with them, in one access to the buffer of values: the path of every
    /// one-at-a-time query, which encodes in the same synchronous stretch that sends. What it encodes is for
    /// `body` only; it leaves nothing for `withEncoded`.
    func encoding<R>(
        _ parameters: [any PostgresEncodable], _ body: (Encoded) throws(PostgresError) -> R
    ) throws(PostgresError) -> R {
        count = 0
        reserve(parameters.count)
        return try Binds.encodeThenCall(parameters, &data, types, formats, lengths, offsets, values, body)
    }

    private static func encodeThenCall<R>(
        _ parameters: [any PostgresEncodable], _ data: inout [UInt8], _ types: UnsafeMutablePointer<UInt32>,
        _ formats: UnsafeMutablePointer<Int32>, _ lengths: UnsafeMutablePointer<Int32>,
        _ offsets: UnsafeMutablePointer<Int>, _ values: UnsafeMutablePointer<UnsafePointer<CChar>?>,
        _ body: (Encoded) throws(PostgresError) -> R
    ) throws(PostgresError) -> R {
        let count = try encode(parameters, into: &data, types, formats, lengths, offsets)
        do {
            return try data.withUnsafeBytes { (storage) throws(PostgresError) -> R in
                try body(encoded(storage, count, types, formats, lengths, offsets, values))
            }
        } catch {
            // withUnsafeBytes rethrows without the type; `body` throws only PostgresError.
            throw error as! PostgresError
        }
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

    /// Points each value at its bytes in `storage` (the buffer of values, fixed for the call).
    private static func encoded(
        _ storage: UnsafeRawBufferPointer, _ count: Int, _ types: UnsafeMutablePointer<UInt32>,
        _ formats: UnsafeMutablePointer<Int32>, _ lengths: UnsafeMutablePointer<Int32>,
        _ offsets: UnsafeMutablePointer<Int>, _ values: UnsafeMutablePointer<UnsafePointer<CChar>?>
    ) -> Encoded {
        if count == 0 { return Encoded(count: 0, types: nil, values: nil, lengths: nil, formats: nil) }
        for index in 0..<count {
            let offset = offsets[index]
            if offset == null {
                values[index] = nil
            } else if lengths[index] == 0 {
                // libpq reads NULL as SQL NULL: an empty string or bytea still needs an address.
                values[index] = emptyValue
            } else {
                values[index] = (storage.baseAddress! + offset).assumingMemoryBound(to: CChar.self)
            }
        }
        return Encoded(
            count: Int32(count), types: UnsafePointer(types), values: UnsafePointer(values),
            lengths: UnsafePointer(lengths), formats: UnsafePointer(formats))
    }

    private func reserve(_ wanted: Int) {
        guard wanted > capacity else { return }
        let grown = max(wanted, 2 * capacity)
        // Nothing encoded needs keeping: encoding starts from the beginning.
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

    /// The address given for an empty value: the NUL byte of an empty string literal, in read-only memory.
    private static var emptyValue: UnsafePointer<CChar> {
        UnsafeRawPointer(("" as StaticString).utf8Start).assumingMemoryBound(to: CChar.self)
    }
}
