import FinsamCore
@testable import FinsamService
import Foundation
import Testing

@testable import finsamd

/// The API's JSON writer against Foundation's `JSONEncoder` (another implementation, the one it replaced): for the
/// same value both must parse to the same JSON, whatever the key order; and a value that writes out of order is
/// refused rather than written wrong.
@Suite struct JSONStreamEncoderTests {
    static func parsed(_ bytes: some Sequence<UInt8>) throws -> NSObject {
        try #require(try JSONSerialization.jsonObject(with: Data(bytes), options: [.fragmentsAllowed]) as? NSObject)
    }

    static func foundation(_ value: some Encodable) throws -> Data {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        return try encoder.encode(value)
    }

    static func expectSameAsFoundation(_ value: some Encodable, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let streamed = try JSONStreamEncoder().encode(value)
        #expect(try parsed(streamed) == parsed(try foundation(value)), "\(String(decoding: streamed, as: UTF8.self))",
            sourceLocation: sourceLocation)
    }

    struct Everything: Encodable {
        struct Inner: Encodable {
            var numbers: [Int]
            var nothing: String?
            var flags: [Bool]
        }
        var text = "Citat \" och \\ bakstreck, rad\nbrytning, tab\t, kontroll \u{01}\u{1F}, å ä ö € 😀, snedstreck /"
        var empty = ""
        var negative = -9_223_372_036_854_775_807 as Int64
        var int32 = Int32.min
        var at = Date(timeIntervalSince1970: 1_795_340_400)
        var money = Money(öre: -181_737_550)
        var half = HalfYear("2026H2")!
        var day = CalendarDate(iso: "2026-02-28")!
        var missing: Int? = nil
        var explicitNull: Int?? = .some(nil)
        var inner = Inner(numbers: [], nothing: nil, flags: [true, false])
        var list = [Inner(numbers: [1, 2, 3], nothing: "x", flags: [])]
        var table = ["b": [1], "a": []]
        var nested: [[String]] = [[], ["a"], ["b", "c"]]
        var decimal = Decimal(string: "12.50")!
    }

    @Test func everyKindOfValueParsesToWhatFoundationWrites() throws {
        try Self.expectSameAsFoundation(Everything())
        try Self.expectSameAsFoundation([Everything(), Everything()])
        try Self.expectSameAsFoundation("bara en text")
        try Self.expectSameAsFoundation([String: Int]())
        try Self.expectSameAsFoundation([Int]())
    }

    /// Two disbursements, one with every optional field set and texts that need escaping, one with none set.
    static let disbursements: [Disbursement] = {
        let at = Date(timeIntervalSince1970: 1_795_340_400)
        let full = Disbursement(
            number: 7, intervention: "STEG\"1", interventionName: "Steg för steg\nrad två / snedstreck", member: "ankeby",
            memberName: "Ankeby kommun 😀", halfYear: HalfYear("2026H2")!, amount: Money(öre: -1_234_50),
            decided: Money(öre: 98_765_432_10), state: .paid, submission: 2, preparedBy: "anna.dahl", needsChair: true,
            batch: 3, voucher: VoucherReference(year: 2026, series: "U", number: 12),
            approvals: [
                .init(submission: 1, role: .director, by: "anna.dahl", at: at),
                .init(submission: 2, role: .chair, by: "siv.berg", at: at.addingTimeInterval(86_399)),
            ],
            transitions: [
                .init(sequence: 1, from: nil, to: .draft, actor: "lena.lind", at: at, comment: nil),
                .init(sequence: 2, from: .draft, to: .submitted, actor: "lena.lind", at: at, comment: "Tab\there, \u{01}"),
            ])
        let bare = Disbursement(
            number: 8, intervention: "X", interventionName: "", member: "m", memberName: "M", halfYear: HalfYear("2027H1")!,
            amount: Money(öre: 0), decided: Money(öre: 1), state: .draft, submission: 0, preparedBy: "p", needsChair: false,
            batch: nil, voucher: nil, approvals: [], transitions: [])
        return [full, bare]
    }()

    /// The disbursement list writes itself (JSONStreamWritable): the same bytes as through its Encodable
    /// conformance, and the same JSON as Foundation's encoder writes, with and without a next page.
    @Test func aDisbursementListWritesTheBytesItsEncodableConformanceWrites() throws {
        for page in [Page(items: Self.disbursements, nextCursor: nil), Page(items: Self.disbursements, nextCursor: "8"),
                     Page(items: [], nextCursor: nil)] {
            let written = try JSONStreamEncoder().encode(page)
            var throughCodable = JSONStreamEncoder()
            throughCodable.usesWritableValues = false
            #expect(written == (try throughCodable.encode(page)), "\(String(decoding: written, as: UTF8.self))")
            #expect(try Self.parsed(written) == Self.parsed(try Self.foundation(page)))
        }
        // And the fields are there, in the declared order (the JSON of the second, bare one, in full).
        let bare = try JSONStreamEncoder().encode([Self.disbursements[1]])
        #expect(String(decoding: bare, as: UTF8.self) == """
            [{"number":8,"intervention":"X","interventionName":"","member":"m","memberName":"M","halfYear":"2027H1",\
            "amount":"0.00","decided":"0.01","state":"draft","submission":0,"preparedBy":"p","needsChair":false,\
            "approvals":[],"transitions":[]}]
            """)
    }

    @Test func controlCharactersAreEscapedAndTheRestIsUTF8() throws {
        let bytes = try JSONStreamEncoder().encode(["k": "\u{00}\"\\\n/ö"])
        #expect(String(decoding: bytes, as: UTF8.self) == #"{"k":"\u0000\"\\\n/ö"}"#)
    }

    @Test func datesAreWholeSecondsInUTC() throws {
        let bytes = try JSONStreamEncoder().encode([Date(timeIntervalSince1970: 1_795_340_400.75)])
        // 1 795 340 400 s after 1970-01-01 is 2026-11-22 09:40:00 UTC (`date -u -d @1795340400`).
        #expect(String(decoding: bytes, as: UTF8.self) == #"["2026-11-22T09:40:00Z"]"#)
    }

    /// Padded fields and the edges of a day, a year, a leap day and the epoch, written as Foundation's ISO 8601
    /// strategy writes them (`date -u -d @…` agrees: 0 is 1970-01-01T00:00:00Z, 946684799 is 1999-12-31T23:59:59Z).
    /// Year 1 is ISO 8601's proleptic Gregorian 0001-01-01, as `date -u -d @-62135596800` says; Foundation, which
    /// counts Julian days before 1582, writes 0001-01-03 there, a date no ledger holds.
    @Test func datesMatchFoundationAtTheirEdges() throws {
        let dates = [0, 946_684_799, 951_782_400, 1_709_164_800, 4_102_444_799, -1].map {
            Date(timeIntervalSince1970: TimeInterval($0))
        }
        let foundation = JSONEncoder()
        foundation.dateEncodingStrategy = .iso8601
        #expect(try JSONStreamEncoder().encode(dates) == Array(try foundation.encode(dates)))
        let edges = [0, 946_684_799, -62_135_596_800].map { Date(timeIntervalSince1970: TimeInterval($0)) }
        #expect(String(decoding: try JSONStreamEncoder().encode(edges), as: UTF8.self)
            == #"["1970-01-01T00:00:00Z","1999-12-31T23:59:59Z","0001-01-01T00:00:00Z"]"#)
    }

    /// Writes to the outer container after opening an inner one and writes to the inner one again.
    struct Interleaved: Encodable {
        enum Keys: String, CodingKey { case inner, after }
        enum InnerKeys: String, CodingKey { case a, b }
        func encode(to encoder: any Encoder) throws {
            var outer = encoder.container(keyedBy: Keys.self)
            var inner = outer.nestedContainer(keyedBy: InnerKeys.self, forKey: .inner)
            try inner.encode(1, forKey: .a)
            try outer.encode(2, forKey: .after)
            try inner.encode(3, forKey: .b)
        }
    }

    /// Writes to one nested container after its sibling, at the same depth, was opened.
    struct Siblings: Encodable {
        enum Keys: String, CodingKey { case first, second }
        enum InnerKeys: String, CodingKey { case a, b }
        func encode(to encoder: any Encoder) throws {
            var outer = encoder.container(keyedBy: Keys.self)
            var first = outer.nestedContainer(keyedBy: InnerKeys.self, forKey: .first)
            var second = outer.nestedContainer(keyedBy: InnerKeys.self, forKey: .second)
            try second.encode(1, forKey: .a)
            try first.encode(2, forKey: .b)
        }
    }

    /// Asks a container that was closed already for a nested one, where the protocol gives no way to throw.
    struct NestedInClosed: Encodable {
        enum Keys: String, CodingKey { case inner, after }
        enum InnerKeys: String, CodingKey { case deeper }
        func encode(to encoder: any Encoder) throws {
            var outer = encoder.container(keyedBy: Keys.self)
            var inner = outer.nestedContainer(keyedBy: InnerKeys.self, forKey: .inner)
            try outer.encode(2, forKey: .after)
            var deeper = inner.nestedUnkeyedContainer(forKey: .deeper)
            try deeper.encode(3)
        }
    }

    static let outOfOrder: [any Encodable & Sendable] = [Interleaved(), Siblings(), NestedInClosed()]

    @Test(arguments: 0..<3)
    func aValueThatWritesOutOfOrderIsRefusedAndTheAnswerFallsBackToFoundation(_ index: Int) throws {
        let value = Self.outOfOrder[index]
        #expect(throws: JSONStreamEncoder.OutOfOrder.self) { try JSONStreamEncoder().encode(value) }
        let answer = try APIBody.jsonBytes(value)
        #expect(try Self.parsed(answer) == Self.parsed(try Self.foundation(value)))
    }
}
