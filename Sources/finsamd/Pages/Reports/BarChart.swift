import FinsamCore

/// A horizontal bar chart drawn by the server as inline SVG: for each line (an intervention, a cost category) one
/// bar per series (budget, actual, forecast), with a legend and a scale. No script, no style attribute (the CSP
/// forbids inline style): the colours come from the style sheet's `chart-series-N` classes, so print and screen
/// agree. The chart shows what the table below it says in numbers; it has a title and a description for screen
/// readers, which point to the table.
///
/// Positions are computed in whole pixels from öre with integer arithmetic; an amount too large to scale is
/// drawn at the edge rather than trapping.
struct BarChart {
    struct Group {
        var label: String
        var values: [Money]
        /// Written at the end of the group's first bar (a share of the total), if given.
        var note: String?
    }

    var id: String
    var title: String
    var series: [String]
    var groups: [Group]

    static let width = 760
    static let labelWidth = 230
    static let noteWidth = 70
    static let barHeight = 9
    static let groupGap = 10
    static let legendHeight = 28
    static let scaleHeight = 22

    var plotWidth: Int { Self.width - Self.labelWidth - Self.noteWidth }
    var groupHeight: Int { series.count * (Self.barHeight + 1) + Self.groupGap }
    var height: Int { Self.legendHeight + groups.count * groupHeight + Self.scaleHeight }

    /// The scale: from the lowest value (or zero) to the highest (or zero), rounded out to a round number of kronor.
    var bounds: (low: Int64, high: Int64) {
        let all = groups.flatMap(\.values).map(\.öre)
        let low = Self.roundOut(min(0, all.min() ?? 0))
        let high = Self.roundOut(max(0, all.max() ?? 0))
        return (low, high == low ? low + 100 : high)
    }

    /// The next value away from zero with one or two significant digits followed by zeros (in öre): 1 234 567 kr →
    /// 1 300 000 kr.
    static func roundOut(_ öre: Int64) -> Int64 {
        guard öre != 0 else { return 0 }
        var step: Int64 = 1
        let magnitude = öre.magnitude > UInt64(Int64.max / 10) ? UInt64(Int64.max / 10) : öre.magnitude
        while UInt64(step) * 100 <= magnitude, step < Int64.max / 100 { step *= 10 }
        let rounded = (Int64(magnitude) + step - 1) / step * step
        return öre < 0 ? -rounded : rounded
    }

    /// The x of an amount: the plot's width spread over the scale, in whole pixels, clamped to the plot.
    func x(_ öre: Int64) -> Int {
        let (low, high) = bounds
        if öre <= low { return Self.labelWidth }
        if öre >= high { return Self.labelWidth + plotWidth }
        // Within the scale both differences fit (the bounds are at most a tenth of Int64's range from zero).
        let offset = öre - low
        let range = high - low
        let (scaled, overflow) = offset.multipliedReportingOverflow(by: Int64(plotWidth))
        let pixels = overflow ? offset / max(1, range / Int64(plotWidth)) : scaled / range
        return Self.labelWidth + Int(min(Int64(plotWidth), pixels))
    }

    var svg: String {
        var out = "<svg class=\"chart\" viewBox=\"0 0 \(Self.width) \(height)\" role=\"img\" aria-labelledby=\"\(id)-title \(id)-desc\""
            + " xmlns=\"http://www.w3.org/2000/svg\">"
        out += "<title id=\"\(id)-title\">\(Self.escaped(title))</title>"
        out += "<desc id=\"\(id)-desc\">Samma belopp finns i tabellen under diagrammet.</desc>"
        // Legend.
        var legendX = Self.labelWidth
        for (index, name) in series.enumerated() {
            out += "<rect class=\"chart-series-\(index)\" x=\"\(legendX)\" y=\"8\" width=\"14\" height=\"10\"/>"
            out += "<text class=\"chart-text\" x=\"\(legendX + 19)\" y=\"17\">\(Self.escaped(name))</text>"
            legendX += 26 + name.count * 7
        }
        let zero = x(0)
        let (low, high) = bounds
        let plotTop = Self.legendHeight
        let plotBottom = Self.legendHeight + groups.count * groupHeight
        // Scale: the lowest, zero and the highest, with lines across the plot.
        for mark in Set([low, 0, high]).sorted() {
            let at = x(mark)
            out += "<line class=\"chart-grid\" x1=\"\(at)\" y1=\"\(plotTop)\" x2=\"\(at)\" y2=\"\(plotBottom)\"/>"
            let anchor = mark == low && low != 0 ? "start" : mark == high && mark != 0 ? "end" : "middle"
            out += "<text class=\"chart-text chart-scale\" x=\"\(at)\" y=\"\(plotBottom + 16)\" text-anchor=\"\(anchor)\">"
                + "\(Self.escaped(PageNumber.kronor(Money(öre: mark)))) kr</text>"
        }
        for (row, group) in groups.enumerated() {
            let top = plotTop + row * groupHeight + Self.groupGap / 2
            let middle = top + (series.count * (Self.barHeight + 1)) / 2
            out += "<text class=\"chart-text\" x=\"\(Self.labelWidth - 8)\" y=\"\(middle + 4)\" text-anchor=\"end\">"
                + "\(Self.escaped(Self.shortened(group.label)))</text>"
            for (index, value) in group.values.enumerated() {
                let end = x(value.öre)
                let y = top + index * (Self.barHeight + 1)
                out += "<rect class=\"chart-series-\(index)\" x=\"\(min(zero, end))\" y=\"\(y)\" width=\"\(max(abs(end - zero), value == .zero ? 0 : 1))\""
                    + " height=\"\(Self.barHeight)\"><title>\(Self.escaped("\(group.label), \(series[index]): \(PageNumber.kronor(value)) kr"))</title></rect>"
            }
            if let note = group.note {
                out += "<text class=\"chart-text\" x=\"\(max(zero, x(group.values.first?.öre ?? 0)) + 6)\" y=\"\(middle + 4)\">\(Self.escaped(note))</text>"
            }
        }
        out += "<line class=\"chart-axis\" x1=\"\(zero)\" y1=\"\(plotTop)\" x2=\"\(zero)\" y2=\"\(plotBottom)\"/>"
        return out + "</svg>"
    }

    static func shortened(_ label: String) -> String {
        label.count <= 32 ? label : String(label.prefix(31)) + "…"
    }

    /// Text for SVG, which is XML: FinsamCore's escaping, as for the printable invoice and the Peppol file.
    static func escaped(_ text: String) -> String { Markup.escaped(text) }
}
