import FinsamCore
import FinsamService
import Foundation

/// A value that writes its own JSON, field by field, exactly as its `Encodable` conformance would: for the API's
/// busiest answers, where Codable's containers (a boxed container per object, a dynamic dispatch per field) were
/// most of the encoding (perf on the disbursement list). `JSONStreamEncoder` uses it for the answer as a whole when
/// the answer's type has it; everything inside is then written without Codable. Tests hold each conformance to the
/// bytes its `Encodable` conformance writes, and to the JSON Foundation's `JSONEncoder` writes.
protocol JSONStreamWritable {
    func writeJSON(to sink: JSONStreamEncoder.Sink)
}

/// Writes one JSON object's fields in order, with their commas. Keys are static text that needs no escaping
/// (Swift property names). A nil optional is left out, as a synthesized `Encodable` conformance leaves it out.
struct JSONObjectWriter {
    let sink: JSONStreamEncoder.Sink
    private var empty = true

    /// Writes `{`, the fields `body` writes, and `}`.
    static func object(in sink: JSONStreamEncoder.Sink, _ body: (inout JSONObjectWriter) -> Void) {
        sink.bytes.append(UInt8(ascii: "{"))
        var writer = JSONObjectWriter(sink: sink)
        body(&writer)
        sink.bytes.append(UInt8(ascii: "}"))
    }

    private init(sink: JSONStreamEncoder.Sink) { self.sink = sink }

    private mutating func key(_ key: StaticString) {
        if empty { empty = false } else { sink.bytes.append(UInt8(ascii: ",")) }
        sink.bytes.append(UInt8(ascii: "\""))
        key.withUTF8Buffer { sink.bytes.append(contentsOf: $0) }
        sink.bytes.append(contentsOf: [UInt8(ascii: "\""), UInt8(ascii: ":")])
    }

    mutating func field(_ name: StaticString, _ value: String) {
        key(name)
        sink.writeString(value)
    }

    mutating func field(_ name: StaticString, _ value: String?) {
        guard let value else { return }
        field(name, value)
    }

    mutating func field(_ name: StaticString, _ value: Int) {
        key(name)
        sink.append(String(value))
    }

    mutating func field(_ name: StaticString, _ value: Int?) {
        guard let value else { return }
        field(name, value)
    }

    mutating func field(_ name: StaticString, _ value: Bool) {
        key(name)
        sink.append(value ? "true" : "false")
    }

    mutating func field(_ name: StaticString, _ value: Date) {
        key(name)
        sink.writeDate(value)
    }

    /// A value whose `Encodable` form is its description as a string: Money, HalfYear.
    mutating func field(_ name: StaticString, described value: some CustomStringConvertible) {
        key(name)
        sink.writeString(value.description)
    }

    /// A value whose `Encodable` form is its raw value as a string: Role, DisbursementState.
    mutating func field<Value: RawRepresentable<String>>(_ name: StaticString, raw value: Value) {
        key(name)
        sink.writeString(value.rawValue)
    }

    mutating func field<Value: RawRepresentable<String>>(_ name: StaticString, raw value: Value?) {
        guard let value else { return }
        field(name, raw: value)
    }

    mutating func field(_ name: StaticString, _ value: some JSONStreamWritable) {
        key(name)
        value.writeJSON(to: sink)
    }

    mutating func field(_ name: StaticString, _ value: (some JSONStreamWritable)?) {
        guard let value else { return }
        field(name, value)
    }

    mutating func field(_ name: StaticString, _ values: [some JSONStreamWritable]) {
        key(name)
        values.writeJSON(to: sink)
    }
}

extension Array: JSONStreamWritable where Element: JSONStreamWritable {
    func writeJSON(to sink: JSONStreamEncoder.Sink) {
        sink.bytes.append(UInt8(ascii: "["))
        for (index, element) in enumerated() {
            if index > 0 { sink.bytes.append(UInt8(ascii: ",")) }
            element.writeJSON(to: sink)
        }
        sink.bytes.append(UInt8(ascii: "]"))
    }
}

extension Page: JSONStreamWritable where Item: JSONStreamWritable {
    func writeJSON(to sink: JSONStreamEncoder.Sink) {
        JSONObjectWriter.object(in: sink) { object in
            object.field("items", items)
            object.field("nextCursor", nextCursor)
        }
    }
}

extension VoucherReference: JSONStreamWritable {
    func writeJSON(to sink: JSONStreamEncoder.Sink) {
        JSONObjectWriter.object(in: sink) { object in
            object.field("year", year)
            object.field("series", series)
            object.field("number", number)
        }
    }
}

extension Disbursement: JSONStreamWritable {
    func writeJSON(to sink: JSONStreamEncoder.Sink) {
        JSONObjectWriter.object(in: sink) { object in
            object.field("number", number)
            object.field("intervention", intervention)
            object.field("interventionName", interventionName)
            object.field("member", member)
            object.field("memberName", memberName)
            object.field("halfYear", described: halfYear)
            object.field("amount", described: amount)
            object.field("decided", described: decided)
            object.field("state", raw: state)
            object.field("submission", submission)
            object.field("preparedBy", preparedBy)
            object.field("needsChair", needsChair)
            object.field("batch", batch)
            object.field("voucher", voucher)
            object.field("approvals", approvals)
            object.field("transitions", transitions)
        }
    }
}

extension Disbursement.Approval: JSONStreamWritable {
    func writeJSON(to sink: JSONStreamEncoder.Sink) {
        JSONObjectWriter.object(in: sink) { object in
            object.field("submission", submission)
            object.field("role", raw: role)
            object.field("by", by)
            object.field("at", at)
        }
    }
}

extension Disbursement.Transition: JSONStreamWritable {
    func writeJSON(to sink: JSONStreamEncoder.Sink) {
        JSONObjectWriter.object(in: sink) { object in
            object.field("sequence", sequence)
            object.field("from", raw: from)
            object.field("to", raw: to)
            object.field("actor", actor)
            object.field("at", at)
            object.field("comment", comment)
        }
    }
}
