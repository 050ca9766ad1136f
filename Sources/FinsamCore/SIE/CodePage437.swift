/// IBM PC8, code page 437: the character set SIE files are written in (SIE 4, #FORMAT PC8).
/// Bytes below 0x80 are ASCII; the upper half is the table below.
public enum CodePage437 {
    static let upperHalf: [Character] = Array(
        "ÇüéâäàåçêëèïîìÄÅÉæÆôöòûùÿÖÜ¢£¥₧ƒáíóúñÑªº¿⌐¬½¼¡«»░▒▓│┤╡╢╖╕╣║╗╝╜╛┐└┴┬├─┼╞╟╚╔╩╦╠═╬╧╨╤╥╙╘╒╓╫╪┘┌█▄▌▐▀"
            + "αßΓπΣσµτΦΘΩδ∞φε∩≡±≥≤⌠⌡÷≈°∙·√ⁿ²■\u{00A0}")

    static let encodeTable: [Character: UInt8] = {
        var table: [Character: UInt8] = [:]
        for (index, character) in upperHalf.enumerated() { table[character] = UInt8(0x80 + index) }
        return table
    }()

    public static func decode(_ bytes: some Collection<UInt8>) -> String {
        var text = ""
        text.reserveCapacity(bytes.count)
        for byte in bytes {
            if byte < 0x80 {
                text.unicodeScalars.append(Unicode.Scalar(byte))
            } else {
                text.append(upperHalf[Int(byte) - 0x80])
            }
        }
        return text
    }

    /// Characters outside the code page become `?`: SIE readers expect PC8, and a lossy name is better
    /// than a file another program cannot read.
    public static func encode(_ text: String) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        for character in text {
            if let ascii = character.asciiValue {
                bytes.append(ascii)
            } else {
                bytes.append(encodeTable[character] ?? UInt8(ascii: "?"))
            }
        }
        return bytes
    }
}
