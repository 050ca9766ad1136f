/// An account number of the chart: four digits (a BAS kontogrupp), or a sub-account of up to nine digits whose
/// first four digits are its group: 143010 is a sub-account of 1430 and belongs wherever 1430 does. Real charts
/// brought over from other programs have them (schema/017).
public enum AccountNumber {
    public static let range = 1000...999_999_999

    /// How the rule reads to a user.
    public static let rule = "4–9 siffror som inte börjar med 0"

    /// The number written in `text`: only digits, four to nine of them, not starting with 0 ("0351" is no BAS
    /// account).
    public static func parse<S: StringProtocol>(_ text: S) -> Int? {
        guard (4...9).contains(text.count), text.first != "0", text.allSatisfy({ $0.isASCII && $0.isNumber }) else {
            return nil
        }
        return Int(text)
    }

    /// The four-digit group that decides the account's class and its place in the statements; nil outside `range`.
    public static func group(_ number: Int) -> Int? {
        guard range.contains(number) else { return nil }
        var group = number
        while group > 9999 { group /= 10 }
        return group
    }

    /// Orders accounts as a chart lists them: 1430, 143010, 1440 (by digits, not by size).
    public static func chartOrder(_ a: Int, _ b: Int) -> Bool { String(a) < String(b) }
}
