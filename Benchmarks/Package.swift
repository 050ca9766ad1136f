// swift-tools-version:6.1
// A separate package, so that the main build stays light: postgres-nio is a peer measured here, nowhere else.
import PackageDescription

let package = Package(
    name: "FinsamBenchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "Finsam", path: ".."),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.21.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.6.0"),
    ],
    targets: [
        .executableTarget(
            name: "PostgresBenchmarks",
            dependencies: [
                .product(name: "Postgres", package: "Finsam"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "LedgerBenchmarks",
            dependencies: [
                .product(name: "Postgres", package: "Finsam"),
                .product(name: "FinsamCore", package: "Finsam"),
                .product(name: "FinsamService", package: "Finsam"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
