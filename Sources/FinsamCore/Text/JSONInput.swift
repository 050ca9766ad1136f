public import Foundation

/// JSON that a person or a script hands Finsam (a voucher file), decoded into `T`; when it cannot be, a Swedish
/// FileError that says where: the line and column of a syntax error, the field of a wrong value. Foundation's own
/// messages are English and, for syntax errors, say only "The given data was not valid JSON".
public enum JSONInput {
    public static func decode<T: Decodable>(_ type: T.Type, from data: Data) throws(FileError) -> T {
        do {
            return try JSONDecoder().decode(type, from: data)
        } catch let error as DecodingError {
            throw describe(error, in: data)
        } catch {
            throw FileError(line: nil, reason: "ogiltig JSON")
        }
    }

    static func describe(_ error: DecodingError, in data: Data) -> FileError {
        func path(_ context: DecodingError.Context) -> String {
            context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined().drop { $0 == "." }.description
        }
        switch error {
        case .keyNotFound(let key, let context):
            let field = path(context)
            return FileError(line: nil, reason: "fältet \(field.isEmpty ? "" : field + ".")\(key.stringValue) saknas")
        case .typeMismatch(let type, let context):
            return FileError(line: nil, reason: "fältet \(path(context)) ska vara \(typeName(type))")
        case .valueNotFound(let type, let context):
            return FileError(line: nil, reason: "fältet \(path(context)) saknar värde (väntade \(typeName(type)))")
        case .dataCorrupted(let context) where context.codingPath.isEmpty:
            return syntaxError(in: data)
        case .dataCorrupted(let context):
            return FileError(line: nil, reason: "fältet \(path(context)): \(context.debugDescription)")
        @unknown default:
            return FileError(line: nil, reason: "ogiltig JSON")
        }
    }

    static func typeName(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "en text"
        case is Int.Type, is Int64.Type, is Int32.Type: "ett heltal"
        case is Bool.Type: "true eller false"
        default: type is any Collection.Type ? "en lista" : "ett objekt"
        }
    }

    /// Where the JSON text stops being JSON, from JSONSerialization's character offset.
    static func syntaxError(in data: Data) -> FileError {
        do {
            _ = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
            return FileError(line: nil, reason: "ogiltig JSON")
        } catch {
            let debug = (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String ?? ""
            let what: String
            switch true {
            case debug.hasPrefix("Unexpected end of file"): what = "texten tar slut mitt i ett JSON-värde; den kan vara avklippt"
            case debug.hasPrefix("Unescaped control character"): what = "ett styrtecken utan \\-escape i en text"
            case debug.hasPrefix("Invalid escape"): what = "en ogiltig \\-escape i en text"
            case debug.hasPrefix("Invalid value"): what = "här står inget JSON-värde"
            case debug.contains("UTF"), debug.contains("encoding"): what = "texten är inte UTF-8"
            default: what = "texten är ingen giltig JSON"
            }
            guard let offset = characterOffset(in: debug) else { return FileError(line: nil, reason: what) }
            let (line, column) = position(ofByte: offset, in: data)
            return FileError(line: line, reason: "kolumn \(column): \(what)")
        }
    }

    /// `… around character 14.` → 14.
    static func characterOffset(in message: String) -> Int? {
        guard let range = message.range(of: "character ") else { return nil }
        return Int(message[range.upperBound...].prefix { $0.isNumber })
    }

    /// The 1-based line and column (in characters) of byte `offset`.
    static func position(ofByte offset: Int, in data: Data) -> (line: Int, column: Int) {
        var line = 1
        var lineStart = 0
        for (index, byte) in data.prefix(offset).enumerated() where byte == UInt8(ascii: "\n") {
            line += 1
            lineStart = index + 1
        }
        let column = String(decoding: data[data.startIndex + lineStart..<data.startIndex + min(offset, data.count)], as: UTF8.self).count + 1
        return (line, column)
    }
}
