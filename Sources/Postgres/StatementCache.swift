/// The prepared statements of one connection, by SQL text and parameter types, least recently used evicted.
///
/// A statement is parsed and planned once per connection and then executed by name: each later execution
/// sends only Bind/Execute. The parameter types are part of the key because the server fixes them at PREPARE;
/// one text is almost always run with one list of types, so each text keeps a short list of variants.
struct StatementCache {
    private struct Variant {
        var types: [UInt32]
        var name: StatementName
        var lastUse: UInt64
    }

    private var entries: [String: [Variant]] = [:]
    /// The variant found last, so that a statement run again and again (the rows of a bulk insert, a loop of
    /// lookups) is found by comparing its text, usually the very same string storage, instead of hashing it, and
    /// its use is counted here until another statement takes its place (`settleRecent`). Every insertion and
    /// removal settles it first: they could move entries. Kept in separate properties, read one by one: a
    /// struct would be copied, with its references, on every look.
    private var recentName: StatementName?
    private var recentSQL = ""
    private var recentTypes: [UInt32] = []
    private var recentIndex: Dictionary<String, [Variant]>.Index?
    private var recentPosition = 0
    private var recentLastUse: UInt64 = 0
    private var clock: UInt64 = 0
    private var nextNumber = 0
    /// How many variants are cached, over all texts.
    private var count = 0
    let capacity: Int

    init(capacity: Int) { self.capacity = max(1, capacity) }

    /// The statement's name, if cached; marks it used.
    mutating func lookup(_ sql: String, _ types: UnsafeBufferPointer<UInt32>) -> StatementName? {
        clock &+= 1
        if let name = recentName, recentSQL == sql, Self.same(recentTypes, types) {
            recentLastUse = clock
            return name
        }
        settleRecent()
        guard let index = entries.index(forKey: sql),
              let position = entries.values[index].firstIndex(where: { Self.same($0.types, types) })
        else { return nil }
        let variant = entries.values[index][position]
        (recentName, recentSQL, recentTypes) = (variant.name, sql, variant.types)
        (recentIndex, recentPosition, recentLastUse) = (index, position, clock)
        return variant.name
    }

    /// Writes the most recent statement's last use back into its entry.
    private mutating func settleRecent() {
        guard let index = recentIndex else { return }
        entries.values[index][recentPosition].lastUse = recentLastUse
        forgetRecent()
    }

    private mutating func forgetRecent() {
        (recentName, recentSQL, recentTypes, recentIndex) = (nil, "", [], nil)
    }

    private static func same(_ cached: [UInt32], _ types: UnsafeBufferPointer<UInt32>) -> Bool {
        guard cached.count == types.count else { return false }
        for index in 0..<types.count where cached[index] != types[index] { return false }
        return true
    }

    /// A fresh statement name (never reused on this connection).
    mutating func makeName() -> StatementName {
        nextNumber += 1
        return StatementName("finsam_s\(nextNumber)")
    }

    /// Records a statement; returns the name of the one evicted to make room, which the caller deallocates.
    mutating func insert(_ sql: String, _ types: [UInt32], name: StatementName) -> StatementName? {
        settleRecent()
        clock &+= 1
        var evicted: StatementName?
        if count >= capacity, let oldest = leastRecentlyUsed() {
            evicted = entries[oldest.sql]![oldest.position].name
            entries[oldest.sql]!.remove(at: oldest.position)
            if entries[oldest.sql]!.isEmpty { entries[oldest.sql] = nil }
            count -= 1
        }
        entries[sql, default: []].append(Variant(types: types, name: name, lastUse: clock))
        count += 1
        return evicted
    }

    private func leastRecentlyUsed() -> (sql: String, position: Int)? {
        var oldest: (sql: String, position: Int, lastUse: UInt64)?
        for (sql, variants) in entries {
            for (position, variant) in variants.enumerated() where variant.lastUse < oldest?.lastUse ?? .max {
                oldest = (sql, position, variant.lastUse)
            }
        }
        return oldest.map { ($0.sql, $0.position) }
    }

    mutating func remove(_ sql: String, _ types: UnsafeBufferPointer<UInt32>) {
        settleRecent()
        guard let position = entries[sql]?.firstIndex(where: { Self.same($0.types, types) }) else { return }
        entries[sql]!.remove(at: position)
        if entries[sql]!.isEmpty { entries[sql] = nil }
        count -= 1
    }

    mutating func removeAll() {
        forgetRecent()
        entries.removeAll()
        count = 0
    }
}

/// The name of a prepared statement, kept as the NUL-terminated bytes libpq takes, in memory of its own.
/// Passing a `String` to a C function copies it into a new C string on every call (always so for short strings,
/// which Swift stores inline); a statement name is passed on every execution, so it is converted once, here.
/// Not `Sendable`: it belongs to its connection's statement cache.
final class StatementName: CustomStringConvertible {
    let description: String
    /// Valid while this object lives (`extendLifetime` it across the C call).
    let cString: UnsafeMutablePointer<CChar>

    init(_ name: String) {
        precondition(name.utf8.allSatisfy { $0 != 0 && $0 < 0x80 }, "statement names are plain ASCII")
        description = name
        let bytes = Array(name.utf8)
        cString = .allocate(capacity: bytes.count + 1)
        for (index, byte) in bytes.enumerated() { cString[index] = CChar(bitPattern: byte) }
        cString[bytes.count] = 0
    }

    deinit { cString.deallocate() }
}
