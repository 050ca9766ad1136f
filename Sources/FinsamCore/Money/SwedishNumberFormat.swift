/// Numbers as Swedish readers expect them: a space between thousands and a decimal comma
/// (`1 817 375`, `1 817 375,50`, `12,50 %`). Built by hand, not with a locale, so that output is the same
/// on every machine whatever its locale data.
public enum SwedishNumberFormat {
    /// The thousands separator: a no-break space would be typographically nicer, but tables and CSV consumers
    /// (and the examples in DOMAIN.md) use a plain space.
    public static let groupSeparator = " "

    /// `1 817 375` for whole numbers.
    public static func integer(_ value: Int64) -> String {
        let digits = String(value.magnitude)
        var grouped = ""
        for (index, digit) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { grouped += groupSeparator }
            grouped.append(digit)
        }
        return (value < 0 ? "-" : "") + grouped
    }

    /// Kronor with öre: `1 817 375,50`; `wholeKronor` rounds half away from zero and shows `1 817 376`.
    public static func kronor(_ money: Money, wholeKronor: Bool = false) -> String {
        if wholeKronor { return integer(money.roundedToKronor.öre / 100) }
        let magnitude = money.öre.magnitude
        let fraction = magnitude % 100
        let sign = money.öre < 0 ? "-" : ""
        return sign + integer(Int64(magnitude / 100)) + "," + (fraction < 10 ? "0" : "") + String(fraction)
    }

    /// A percentage given in hundredths of a percent (basis points): 1250 → `12,50 %`.
    public static func percent(basisPoints: Int64) -> String {
        let magnitude = basisPoints.magnitude
        let fraction = magnitude % 100
        let sign = basisPoints < 0 ? "-" : ""
        return sign + integer(Int64(magnitude / 100)) + "," + (fraction < 10 ? "0" : "") + String(fraction) + " %"
    }
}
