import FinsamCore
import Testing

@Suite struct MoneyTests {
    @Test(arguments: [
        ("1500", 150_000), ("1500,50", 150_050), ("1500.5", 150_050), ("-12,05", -1205), ("1 817 375", 181_737_500),
        ("0,01", 1), ("−3", -300),
    ] as [(String, Int64)])
    func parsesWhatPeopleType(_ text: String, _ öre: Int64) {
        #expect(Money(parsing: text) == Money(öre: öre))
    }

    @Test(arguments: ["", "-", "1,505", "1,", ",5", "1.000,50", "12a", "1e3", "kr 5", "1234567890123456"])
    func refusesAnythingElse(_ text: String) {
        #expect(Money(parsing: text) == nil)
    }

    @Test func roundsHalfAwayFromZero() {
        #expect(Money(öre: 150).roundedToKronor == Money(kronor: 2))
        #expect(Money(öre: 149).roundedToKronor == Money(kronor: 1))
        #expect(Money(öre: -150).roundedToKronor == Money(kronor: -2))
        #expect(Money(öre: -149).roundedToKronor == Money(kronor: -1))
    }

    @Test func swedishFormatting() {
        #expect(SwedishNumberFormat.integer(1_817_375) == "1 817 375")
        #expect(SwedishNumberFormat.integer(-100_000) == "-100 000")
        #expect(SwedishNumberFormat.integer(999) == "999")
        #expect(SwedishNumberFormat.kronor(Money(öre: 181_737_550)) == "1 817 375,50")
        #expect(SwedishNumberFormat.kronor(Money(öre: -5)) == "-0,05")
        #expect(SwedishNumberFormat.kronor(Money(öre: 181_737_550), wholeKronor: true) == "1 817 376")
        #expect(SwedishNumberFormat.percent(basisPoints: 1250) == "12,50 %")
        #expect(Money(öre: -181_737_505).description == "-1817375.05")
    }
}
