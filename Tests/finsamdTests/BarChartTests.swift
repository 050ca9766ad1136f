import FinsamCore
import Testing

@testable import finsamd

/// The server-drawn chart and the pages' numbers: scales rounded by hand, positions clamped, text escaped.
@Suite struct BarChartTests {
    @Test func theScaleRoundsOutToTwoSignificantDigits() {
        // 1 234 567 kr → 1 300 000 kr; 5 000 öre stays; a negative rounds away from zero; zero is zero.
        #expect(BarChart.roundOut(123_456_700) == 130_000_000)
        #expect(BarChart.roundOut(5_000) == 5_000)
        #expect(BarChart.roundOut(-123_456_700) == -130_000_000)
        #expect(BarChart.roundOut(0) == 0)
        // The largest amount does not trap.
        #expect(BarChart.roundOut(Int64.max) > 0)
    }

    @Test func barsStartAtZeroAndTheHighestFillsThePlot() {
        let chart = BarChart(id: "c", title: "T", series: ["Budget"], groups: [
            .init(label: "A", values: [Money(öre: 130_000_000)]), .init(label: "B", values: [Money(öre: -65_000_000)]),
        ])
        // Scale −650 000 … 1 300 000 kr over 460 px (760 − 230 − 70): zero at a third of the plot.
        #expect(chart.plotWidth == 460)
        #expect(chart.x(-65_000_000) == 230)
        #expect(chart.x(0) == 230 + 460 / 3)
        #expect(chart.x(130_000_000) == 690)
        // Beyond the scale is drawn at its edge.
        #expect(chart.x(Int64.max) == 690)
        #expect(chart.x(Int64.min) == 230)
    }

    @Test func labelsAreEscapedAndEveryBarHasItsAmount() {
        let chart = BarChart(id: "c", title: "Kostnader <2026>", series: ["Budget", "Utfall"], groups: [
            .init(label: "Insats \"A\" & <b>", values: [Money(öre: 100_00), Money(öre: -50_00)]),
        ])
        let svg = chart.svg
        #expect(svg.contains("Kostnader &lt;2026&gt;"))
        #expect(svg.contains("Insats &quot;A&quot; &amp; &lt;b&gt;"))
        #expect(!svg.contains("<b>"))
        #expect(svg.contains("Insats &quot;A&quot; &amp; &lt;b&gt;, Utfall: −50 kr"))
        #expect(svg.contains(#"role="img""#) && svg.contains(#"aria-labelledby="c-title c-desc""#))
    }

    @Test func pageNumbersUseARealMinusSign() {
        #expect(PageNumber.kronor(Money(öre: -123_456)) == "−1 235")
        #expect(PageNumber.kronor(Money(öre: -123_456), whole: false) == "−1 234,56")
        #expect(PageNumber.kronor(Money(öre: 181_737_500)) == "1 817 375")
        #expect(PageNumber.percent(tenths: 771) == "77,1 %")
        #expect(PageNumber.percent(tenths: -5) == "−0,5 %")
    }
}
