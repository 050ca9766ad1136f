extension String {
    /// Without leading and trailing white space (the padding of a fixed-width field, a name typed with a space).
    public var trimmingSpaces: String {
        var text = Substring(self)
        while text.first?.isWhitespace == true { text = text.dropFirst() }
        while text.last?.isWhitespace == true { text = text.dropLast() }
        return String(text)
    }
}
