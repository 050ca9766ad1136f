// swift-tools-version:6.1
import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "Finsam",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "Postgres", targets: ["Postgres"]),
        .library(name: "FinsamCore", targets: ["FinsamCore"]),
        .library(name: "FinsamService", targets: ["FinsamService"]),
        .executable(name: "finsam", targets: ["finsam"]),
        .executable(name: "finsamd", targets: ["finsamd"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.5.0"),
        .package(url: "https://github.com/attaswift/BigInt.git", from: "6.0.0"),
        .package(url: "https://github.com/apple/swift-collections.git", from: "1.1.0"),
        .package(url: "https://github.com/apple/swift-crypto.git", "3.0.0"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.6.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.5.0"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.0.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.6.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache.git", from: "2.0.0"),
        // The pages' file upload (a bank file) is a multipart/form-data form: its framing read by MultipartKit.
        .package(url: "https://github.com/vapor/multipart-kit.git", from: "4.7.0"),
    ],
    targets: [
        .systemLibrary(
            name: "CLibPQ",
            pkgConfig: "libpq",
            providers: [.apt(["libpq-dev"])]
        ),
        .target(
            name: "Postgres",
            dependencies: [
                "CLibPQ",
                .product(name: "DequeModule", package: "swift-collections"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        // BigInt: the exact month-by-month contribution split compares fractions over a common denominator that
        // can outgrow 128 bits (ContributionSplit+Months.swift).
        .target(name: "FinsamCore", dependencies: [.product(name: "BigInt", package: "BigInt")], swiftSettings: swiftSettings),
        .target(
            name: "FinsamService",
            dependencies: [
                "Postgres",
                "FinsamCore",
                // The audit trail's chain: SHA-256 over each record and the one before it.
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ],
            resources: [.embedInCode("Migrations/SQL")],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "finsam",
            dependencies: [
                "FinsamService",
                "FinsamCore",
                "Postgres",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "finsamd",
            dependencies: [
                "FinsamService",
                "FinsamCore",
                "Postgres",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "MultipartKit", package: "multipart-kit"),
            ],
            // The API's contract, served at /api/v1/openapi.json (OpenAPIDocument.swift); the pages' templates and
            // style sheet (PageRenderer.swift).
            resources: [.embedInCode("API/openapi.json"), .embedInCode("Pages/Templates"), .embedInCode("Pages/Static")],
            swiftSettings: swiftSettings
        ),
        .target(name: "TestSupport", dependencies: ["Postgres"], path: "Tests/TestSupport", swiftSettings: swiftSettings),
        .testTarget(name: "PostgresTests", dependencies: ["Postgres", "TestSupport"], swiftSettings: swiftSettings),
        .testTarget(name: "FinsamCoreTests", dependencies: ["FinsamCore", "TestSupport"], swiftSettings: swiftSettings),
        .testTarget(
            name: "FinsamServiceTests",
            dependencies: ["FinsamService", "FinsamCore", "Postgres", "TestSupport"],
            swiftSettings: swiftSettings
        ),
        // Runs the built `finsam` as a process: scripts/test builds every product before testing.
        .testTarget(name: "finsamTests", dependencies: ["Postgres", "TestSupport"], swiftSettings: swiftSettings),
        .testTarget(
            name: "finsamdTests",
            dependencies: [
                "finsamd",
                "TestSupport",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
            ],
            swiftSettings: swiftSettings
        ),
    ],
    swiftLanguageModes: [.v6]
)
