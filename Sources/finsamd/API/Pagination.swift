import FinsamService
import Hummingbird

/// One page of a list: the items, and the cursor for the next page (absent on the last). Lists are ordered by a
/// number that only grows (a disbursement's number, a voucher's id …); the cursor is the last item's, and the next
/// page begins after it, so that what is added meanwhile neither repeats nor hides an item.
struct Page<Item: Encodable & Sendable>: Encodable, Sendable {
    var items: [Item]
    var nextCursor: String?
}

enum Pagination {
    static let defaultLimit = 100
    static let maximumLimit = 500

    /// The page of `items` (already in order of `key`) that `?cursor=` and `?limit=` ask for.
    static func page<Item: Encodable & Sendable>(_ items: [Item], key: (Item) -> Int, query: QueryParameters) throws -> Page<Item> {
        let limit = try query.integer("limit", in: 1...maximumLimit) ?? defaultLimit
        let after = try query.parse("cursor", as: "en markör från en tidigare sida") { Int($0) }
        let rest = after.map { after in items.drop { key($0) <= after } } ?? items[...]
        let page = Array(rest.prefix(limit))
        return Page(items: page, nextCursor: rest.count > limit ? page.last.map { String(key($0)) } : nil)
    }
}
