extension RawRepresentable where RawValue == String {
    /// A value of one of the database's enums read back. The schema's enums and these types agree, so an unknown
    /// text means a database this build does not know: an error to report, never a silent default.
    static func stored(rawValue text: String) throws -> Self {
        guard let value = Self(rawValue: text) else {
            throw ServiceError(.unavailable, "okänt värde \"\(text)\" (\(Self.self)) i databasen")
        }
        return value
    }
}
