import Foundation

/// Writes an `Encodable` value as compact JSON straight into bytes, in the order the value encodes its fields.
///
/// Foundation's `JSONEncoder` first builds a tree of boxed values and dictionaries and then serialises it; for the
/// API's lists that took 42 % of the daemon's CPU under load (perf, BENCHMARKS.md). This encoder writes as it goes:
/// a container is opened where it is asked for and closed when the `encode(to:)` that asked for it returns. A value
/// whose `encode(to:)` writes to a container after a later one was opened cannot be written that way; each container
/// knows its own place on the stack of open ones, so the encoder notices, throws `OutOfOrder`, and `APIBody.json`
/// then uses Foundation's encoder for that answer.
/// Dates as ISO 8601 in UTC (`2026-11-16T08:30:00Z`), like `JSONEncoder.DateEncodingStrategy.iso8601`; slashes are
/// not escaped.
struct JSONStreamEncoder {
    /// A container was written to while one opened after it was still open.
    struct OutOfOrder: Error {}

    /// Off: every value through its `Encodable` conformance, also one that writes itself (for the tests that hold
    /// the two to each other).
    var usesWritableValues = true

    func encode(_ value: some Encodable) throws -> [UInt8] {
        let sink = Sink()
        sink.bytes.reserveCapacity(4096)
        // One dynamic cast per answer: a value that writes itself writes all of it (JSONStreamWritable).
        if usesWritableValues, let writable = value as? any JSONStreamWritable {
            writable.writeJSON(to: sink)
            return sink.bytes
        }
        try sink.write(value, codingPath: [])
        // A misplaced write where the Encoder protocol cannot throw (asking for a nested container) was noted instead.
        guard !sink.outOfOrder else { throw OutOfOrder() }
        return sink.bytes
    }

    /// The bytes written so far and the containers open, innermost last.
    ///
    /// Its properties are exempt from Swift's run-time exclusivity checks: a sink is made by `encode`, used by one
    /// call on one thread and never escapes it, and no access to a property overlaps another (each append is a
    /// single mutation). The checks cost a tenth of the encoding (perf on the disbursement list).
    final class Sink {
        @exclusivity(unchecked) var bytes: [UInt8] = []
        /// Per open container, innermost last: which one it is, whether it is an object, and whether it holds an
        /// element yet.
        @exclusivity(unchecked) var open: [(id: Int, object: Bool, hasElement: Bool)] = []
        @exclusivity(unchecked) private var opened = 0
        /// Set when a container was used out of order where the protocol gives no way to throw.
        @exclusivity(unchecked) var outOfOrder = false

        /// Writes one value at the current position, closing what its `encode(to:)` opened.
        /// `key` is the value's own key within `codingPath`, kept apart so that the common values (strings, dates,
        /// numbers, enums) cost no array of keys; the path is put together only for an encoder that is asked for it.
        func write<T: Encodable>(_ value: T, codingPath: [any CodingKey], key: (any CodingKey)? = nil) throws {
            // Metatype comparisons: a dynamic cast per value cost more than the writing.
            if T.self == String.self {
                writeString(value as! String)
            } else if T.self == Date.self {
                writeDate(value as! Date)
            } else if T.self == URL.self {
                writeString((value as! URL).absoluteString)
            } else if T.self == Decimal.self {
                append((value as! Decimal).description)
            } else {
                let depth = open.count
                let start = bytes.count
                try value.encode(to: StreamEncoder(sink: self, parentPath: codingPath, key: key))
                guard open.count >= depth else { throw OutOfOrder() }
                while open.count > depth { close() }
                // A value that wrote nothing is an empty object, as JSONEncoder writes it.
                if bytes.count == start { append("{}") }
            }
        }

        func append(_ text: String) { bytes.append(contentsOf: text.utf8) }

        /// Opens a container and answers its place: its depth and its identity.
        func openContainer(object: Bool) -> (depth: Int, id: Int) {
            bytes.append(object ? UInt8(ascii: "{") : UInt8(ascii: "["))
            opened += 1
            open.append((opened, object, false))
            return (open.count, opened)
        }

        func close() {
            let container = open.removeLast()
            bytes.append(container.object ? UInt8(ascii: "}") : UInt8(ascii: "]"))
        }

        /// Before an element of the container at `place`: its comma. Inner containers still open are done with and
        /// closed; a container that was itself closed already (another opened in its place) is out of order.
        func beginElement(_ place: (depth: Int, id: Int)) throws {
            guard place.depth <= open.count, open[place.depth - 1].id == place.id else { throw OutOfOrder() }
            while open.count > place.depth { close() }
            if open[place.depth - 1].hasElement { bytes.append(UInt8(ascii: ",")) } else { open[place.depth - 1].hasElement = true }
        }

        func writeKey(_ key: String, _ place: (depth: Int, id: Int)) throws {
            try beginElement(place)
            writeString(key)
            bytes.append(UInt8(ascii: ":"))
        }

        /// `writeKey` or `beginElement` where the protocol cannot throw: a misplaced write is noted for `encode`.
        func noting(_ write: () throws -> Void) {
            do { try write() } catch { outOfOrder = true }
        }

        func writeString(_ string: String) {
            var string = string
            string.withUTF8 { utf8 in
                // Most texts need no escaping: one copy.
                if !utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) {
                    bytes.append(UInt8(ascii: "\""))
                    bytes.append(contentsOf: utf8)
                    bytes.append(UInt8(ascii: "\""))
                } else {
                    writeEscaped(utf8)
                }
            }
        }

        private func writeEscaped(_ utf8: UnsafeBufferPointer<UInt8>) {
            bytes.append(UInt8(ascii: "\""))
            for byte in utf8 {
                switch byte {
                case UInt8(ascii: "\""): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\"")])
                case UInt8(ascii: "\\"): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
                case 0x0A: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
                case 0x0D: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
                case 0x09: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
                case 0x08: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "b")])
                case 0x0C: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "f")])
                case 0x00..<0x20:
                    let hex = Array("0123456789abcdef".utf8)
                    bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"),
                        hex[Int(byte >> 4)], hex[Int(byte & 0x0F)]])
                default: bytes.append(byte)
                }
            }
            bytes.append(UInt8(ascii: "\""))
        }

        /// `"2026-11-16T08:30:00Z"`: whole seconds in UTC, as Foundation's ISO 8601 strategy writes a date, written
        /// digit by digit (a date in every approval and transition of a list; through strings it cost a tenth of
        /// the encoding).
        func writeDate(_ date: Date) {
            var seconds = time_t(date.timeIntervalSince1970.rounded(.down))
            var parts = tm()
            gmtime_r(&seconds, &parts)
            bytes.append(UInt8(ascii: "\""))
            let year = Int(parts.tm_year) + 1900
            if (0...9999).contains(year) {
                digits(year, count: 4)
            } else {
                append(String(year))
            }
            bytes.append(UInt8(ascii: "-"))
            digits(Int(parts.tm_mon) + 1, count: 2)
            bytes.append(UInt8(ascii: "-"))
            digits(Int(parts.tm_mday), count: 2)
            bytes.append(UInt8(ascii: "T"))
            digits(Int(parts.tm_hour), count: 2)
            bytes.append(UInt8(ascii: ":"))
            digits(Int(parts.tm_min), count: 2)
            bytes.append(UInt8(ascii: ":"))
            digits(Int(parts.tm_sec), count: 2)
            bytes.append(UInt8(ascii: "Z"))
            bytes.append(UInt8(ascii: "\""))
        }

        /// A non-negative number in exactly `count` digits, zero-padded.
        private func digits(_ value: Int, count: Int) {
            var divisor = 1
            for _ in 1..<count { divisor *= 10 }
            var rest = value
            while divisor > 0 {
                bytes.append(UInt8(ascii: "0") + UInt8(rest / divisor))
                rest %= divisor
                divisor /= 10
            }
        }

        func writeFloating(_ value: Double) throws {
            guard value.isFinite else { throw EncodingError.invalidValue(value, .init(codingPath: [], debugDescription: "not a finite number")) }
            append(value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value))
        }
    }

    struct StreamEncoder: Encoder {
        let sink: Sink
        let parentPath: [any CodingKey]
        let key: (any CodingKey)?
        var codingPath: [any CodingKey] { key.map { parentPath + [$0] } ?? parentPath }
        var userInfo: [CodingUserInfoKey: Any] { [:] }

        init(sink: Sink, parentPath: [any CodingKey], key: (any CodingKey)? = nil) {
            self.sink = sink
            self.parentPath = parentPath
            self.key = key
        }

        func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
            KeyedEncodingContainer(Keyed<Key>(sink: sink, place: sink.openContainer(object: true), codingPath: codingPath))
        }

        func unkeyedContainer() -> any UnkeyedEncodingContainer {
            Unkeyed(sink: sink, place: sink.openContainer(object: false), codingPath: codingPath)
        }

        func singleValueContainer() -> any SingleValueEncodingContainer { Single(sink: sink, parentPath: parentPath, key: key) }
    }

    struct Keyed<Key: CodingKey>: KeyedEncodingContainerProtocol {
        let sink: Sink
        let place: (depth: Int, id: Int)
        var codingPath: [any CodingKey]

        mutating func encodeNil(forKey key: Key) throws { try sink.writeKey(key.stringValue, place); sink.append("null") }
        mutating func encode(_ value: Bool, forKey key: Key) throws { try sink.writeKey(key.stringValue, place); sink.append(value ? "true" : "false") }
        mutating func encode(_ value: String, forKey key: Key) throws { try sink.writeKey(key.stringValue, place); sink.writeString(value) }
        mutating func encode(_ value: Double, forKey key: Key) throws { try sink.writeKey(key.stringValue, place); try sink.writeFloating(value) }
        mutating func encode(_ value: Float, forKey key: Key) throws { try sink.writeKey(key.stringValue, place); try sink.writeFloating(Double(value)) }
        mutating func encode(_ value: Int, forKey key: Key) throws { try sink.writeKey(key.stringValue, place); sink.append(String(value)) }
        mutating func encode(_ value: Int8, forKey key: Key) throws { try sink.writeKey(key.stringValue, place); sink.append(String(value)) }
        mutating func encode(_ value: Int16, forKey key: Key) throws { try sink.writeKey(key.stringValue, place); sink.append(String(value)) }
        mutating func encode(_ value: Int32, forKey key: Key) throws { try sink.writeKey(key.stringValue, place); sink.append(String(value)) }
        mutating func encode(_ value: Int64, forKey key: Key) throws { try sink.writeKey(key.stringValue, place); sink.append(String(value)) }
        mutating func encode(_ value: UInt, forKey key: Key) throws { try sink.writeKey(key.stringValue, place); sink.append(String(value)) }
        mutating func encode(_ value: UInt8, forKey key: Key) throws { try sink.writeKey(key.stringValue, place); sink.append(String(value)) }
        mutating func encode(_ value: UInt16, forKey key: Key) throws { try sink.writeKey(key.stringValue, place); sink.append(String(value)) }
        mutating func encode(_ value: UInt32, forKey key: Key) throws { try sink.writeKey(key.stringValue, place); sink.append(String(value)) }
        mutating func encode(_ value: UInt64, forKey key: Key) throws { try sink.writeKey(key.stringValue, place); sink.append(String(value)) }

        mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
            try sink.writeKey(key.stringValue, place)
            try sink.write(value, codingPath: codingPath, key: key)
        }

        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type, forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
            sink.noting { try sink.writeKey(key.stringValue, place) }
            return KeyedEncodingContainer(Keyed<NestedKey>(sink: sink, place: sink.openContainer(object: true), codingPath: codingPath + [key]))
        }

        mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
            sink.noting { try sink.writeKey(key.stringValue, place) }
            return Unkeyed(sink: sink, place: sink.openContainer(object: false), codingPath: codingPath + [key])
        }

        mutating func superEncoder() -> any Encoder { superEncoder(forKey: Key(stringValue: "super")!) }

        mutating func superEncoder(forKey key: Key) -> any Encoder {
            sink.noting { try sink.writeKey(key.stringValue, place) }
            return StreamEncoder(sink: sink, parentPath: codingPath, key: key)
        }
    }

    struct Unkeyed: UnkeyedEncodingContainer {
        let sink: Sink
        let place: (depth: Int, id: Int)
        var codingPath: [any CodingKey]
        var count = 0

        mutating func next() throws { try sink.beginElement(place); count += 1 }

        mutating func encodeNil() throws { try next(); sink.append("null") }
        mutating func encode(_ value: Bool) throws { try next(); sink.append(value ? "true" : "false") }
        mutating func encode(_ value: String) throws { try next(); sink.writeString(value) }
        mutating func encode(_ value: Double) throws { try next(); try sink.writeFloating(value) }
        mutating func encode(_ value: Float) throws { try next(); try sink.writeFloating(Double(value)) }
        mutating func encode(_ value: Int) throws { try next(); sink.append(String(value)) }
        mutating func encode(_ value: Int64) throws { try next(); sink.append(String(value)) }
        mutating func encode(_ value: Int32) throws { try next(); sink.append(String(value)) }

        mutating func encode<T: Encodable>(_ value: T) throws {
            try next()
            try sink.write(value, codingPath: codingPath)
        }

        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
            sink.noting { try next() }
            return KeyedEncodingContainer(Keyed<NestedKey>(sink: sink, place: sink.openContainer(object: true), codingPath: codingPath))
        }

        mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
            sink.noting { try next() }
            return Unkeyed(sink: sink, place: sink.openContainer(object: false), codingPath: codingPath)
        }

        mutating func superEncoder() -> any Encoder {
            sink.noting { try next() }
            return StreamEncoder(sink: sink, parentPath: codingPath)
        }
    }

    struct Single: SingleValueEncodingContainer {
        let sink: Sink
        let parentPath: [any CodingKey]
        let key: (any CodingKey)?
        var codingPath: [any CodingKey] { key.map { parentPath + [$0] } ?? parentPath }

        mutating func encodeNil() throws { sink.append("null") }
        mutating func encode(_ value: Bool) throws { sink.append(value ? "true" : "false") }
        mutating func encode(_ value: String) throws { sink.writeString(value) }
        mutating func encode(_ value: Double) throws { try sink.writeFloating(value) }
        mutating func encode(_ value: Float) throws { try sink.writeFloating(Double(value)) }
        mutating func encode(_ value: Int) throws { sink.append(String(value)) }
        mutating func encode(_ value: Int8) throws { sink.append(String(value)) }
        mutating func encode(_ value: Int16) throws { sink.append(String(value)) }
        mutating func encode(_ value: Int32) throws { sink.append(String(value)) }
        mutating func encode(_ value: Int64) throws { sink.append(String(value)) }
        mutating func encode(_ value: UInt) throws { sink.append(String(value)) }
        mutating func encode(_ value: UInt8) throws { sink.append(String(value)) }
        mutating func encode(_ value: UInt16) throws { sink.append(String(value)) }
        mutating func encode(_ value: UInt32) throws { sink.append(String(value)) }
        mutating func encode(_ value: UInt64) throws { sink.append(String(value)) }
        mutating func encode<T: Encodable>(_ value: T) throws { try sink.write(value, codingPath: parentPath, key: key) }
    }
}
