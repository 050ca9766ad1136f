/// The prepared statements of one connection, by SQL text and parameter types, least recently used evicted.
///
/// A statement is parsed and planned once per connection and then executed by name: each later execution
/// sends only Bind/Execute. The parameter types are part of the key because the server fixes them at PREPARE.
struct StatementCache {
    struct Key: Hashable {
        var sql: String
        var types: [UInt32]
    }

    private struct Entry {
        var name: String
        var lastUse: UInt64
    }

    private var entries: [Key: Entry] = [:]
    private var clock: UInt64 = 0
    private var nextNumber = 0
    let capacity: Int

    init(capacity: Int) { self.capacity = max(1, capacity) }

    var count: Int { entries.count }

    /// The statement's name, if cached; marks it used. One hash of the key (a hit updates the entry in place).
    mutating func lookup(_ key: Key) -> String? {
        guard let index = entries.index(forKey: key) else { return nil }
        clock &+= 1
        entries.values[index].lastUse = clock
        return entries.values[index].name
    }

    /// A fresh statement name (never reused on this connection).
    mutating func makeName() -> String {
        nextNumber += 1
        return "finsam_s\(nextNumber)"
    }

    /// Records a statement; returns the name of the one evicted to make room, which the caller deallocates.
    mutating func insert(_ key: Key, name: String) -> String? {
        clock &+= 1
        var evicted: String?
        if entries.count >= capacity, let oldest = entries.min(by: { $0.value.lastUse < $1.value.lastUse }) {
            entries[oldest.key] = nil
            evicted = oldest.value.name
        }
        entries[key] = Entry(name: name, lastUse: clock)
        return evicted
    }

    mutating func remove(_ key: Key) { entries[key] = nil }

    mutating func removeAll() { entries.removeAll() }
}
