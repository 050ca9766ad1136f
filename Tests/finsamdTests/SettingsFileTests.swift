import Foundation
import TestSupport
import Testing

@testable import finsamd

/// The daemon's settings file: the deployment's own environment file is read as it is, and a wrong line stops the
/// start naming its file and line.
@Suite struct SettingsFileTests {
    @Test func theDeploymentsEnvironmentFileIsReadAndValidated() throws {
        let path = TestDatabase.projectRoot.appendingPathComponent("deploy/finsamd.env.example").path
        var settings = try SettingsFile.merged(path: path, environment: [:])
        #expect(settings["FINSAM_PORT"] == "8080")
        #expect(settings["FINSAM_NIGHTLY_AT"] == "02:30")
        #expect(settings["FINSAM_DATABASE_URL"] == "postgresql:///finsam?host=/var/run/postgresql&user=finsam_app")
        // The drop folder is the server's; here it does not exist, which the daemon refuses by itself.
        settings["FINSAM_DROP_FOLDER"] = nil
        let configuration = try DaemonConfiguration.fromEnvironment(host: nil, port: nil, environment: settings)
        #expect(configuration.port == 8080 && configuration.poolSize == 8 && configuration.host == "127.0.0.1")
    }

    @Test func theEnvironmentWinsOverTheFile() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("settings-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("finsamd.env").path
        try "# comment\n\nFINSAM_PORT=9000\nFINSAM_HOST=\"0.0.0.0\"\n".write(toFile: path, atomically: true, encoding: .utf8)
        let settings = try SettingsFile.merged(path: path, environment: ["FINSAM_PORT": "9100"])
        #expect(settings["FINSAM_PORT"] == "9100")
        #expect(settings["FINSAM_HOST"] == "0.0.0.0")
    }

    @Test(arguments: [
        ("FINSAM_PORT=8080\nFINSAM_PROT=9000\n", "f.env, rad 2: FINSAM_PROT är ingen inställning som finsamd känner till"),
        ("# a comment\nFINSAM_PORT\n", "f.env, rad 2: \"FINSAM_PORT\" är ingen inställning (NAMN=VÄRDE)"),
        ("FINSAM_PORT=1\nFINSAM_PORT=2\n", "f.env, rad 2: FINSAM_PORT står redan tidigare i filen"),
    ])
    func aWrongLineIsNamedWithItsFileAndLine(_ text: String, _ message: String) {
        do {
            _ = try SettingsFile.parse(text, path: "f.env")
            Issue.record("accepted: \(text)")
        } catch {
            #expect(String(describing: error).hasPrefix(message), "\(error)")
        }
    }
}
