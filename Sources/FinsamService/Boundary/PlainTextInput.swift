import FinsamCore

extension PlainText {
    /// Refuses `text` unless it is plain text within `limit` (PlainText), naming the field as the user knows it:
    /// "namnet innehåller ett styrtecken (U+001B) på plats 1; skriv texten utan det". Nil passes.
    static func require(_ text: String?, _ field: String, limit: Int, multiline: Bool = false) throws(ServiceError) {
        guard let text else { return }
        do {
            try check(text, limit: limit, multiline: multiline)
        } catch {
            throw ServiceError.invalid("\(field) \(error)")
        }
    }
}
