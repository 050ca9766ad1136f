import FinsamCore
import Foundation
import Testing
import TestSupport

/// #KSUMMA as other programs compute it (issue 14): Finsam counted the opening #KSUMMA too, refused a Norstedts
/// Bokslut file whose checksum was right, and wrote checksums no other program would verify.
@Suite struct SIEChecksumTests {
    static let folder = TestDatabase.projectRoot.appendingPathComponent("Tests/Fixtures/sie-ksumma")

    /// Each file with the checksum its program wrote in it (read off the file's closing #KSUMMA).
    @Test(arguments: [
        ("Bokslut-Norstedts-SIE-4E.se", UInt32(854_227_682)), ("Norstedts-Bokslut-SIE-1.se", 3_033_066_896),
        ("Norstedts-Bokslut-SIE-4I.si", 1_573_150_874), ("Norstedts-Revision-SIE-1.SE", 3_130_188_017), ("Sie1.se", 909_685_525),
    ] as [(String, UInt32)])
    func checksumsOtherProgramsWroteVerify(_ name: String, _ stated: UInt32) throws {
        let bytes = Array(try Data(contentsOf: Self.folder.appendingPathComponent(name)))
        let file = try SIEParser.parse(bytes)
        #expect(file.statedChecksum == stated)
        #expect(file.computedChecksum == stated)
    }
}
