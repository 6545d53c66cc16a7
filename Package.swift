// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "Gantry",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "gantry", targets: ["gantry"]),
        .executable(name: "gantry-bench", targets: ["gantry-bench"]),
        .library(name: "GantryEngine", targets: ["GantryEngine"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.3"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
    ],
    targets: [
        // The release engine: plans, registry, builds, publishing, journal, audit. No UI.
        .target(
            name: "GantryEngine",
            dependencies: [
                "CGantryBuild", "CGantryProcess",
                .product(name: "Yams", package: "Yams"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            // The crash points of the fault-matrix tests (CrashPoint.swift): in the debug builds
            // tests run against, never in a release build.
            swiftSettings: [.define("GANTRY_CRASH_POINTS", .when(configuration: .debug))]
        ),
        // Child processes started as their own group's leader with a parent-death signal.
        .target(name: "CGantryProcess", path: "Sources/CGantryProcess"),
        // The commit a release build was made from (scripts/install.sh defines GANTRY_COMMIT).
        .systemLibrary(name: "CGantryBuild", path: "Sources/CGantryBuild"),
        // ncursesw, wide-character build.
        .systemLibrary(name: "CNcurses", path: "Sources/CNcurses"),
        // The terminal console: view-models, cell-grid rendering, ncurses backend.
        .target(name: "GantryTUI", dependencies: ["GantryEngine", "CNcurses"]),
        // The commands behind the `gantry` executable.
        .target(
            name: "GantryCommand",
            dependencies: [
                "GantryEngine", "GantryTUI",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(name: "gantry", dependencies: ["GantryCommand"]),
        // Benchmarks; `gantry` is built with them because some time the real command.
        .executableTarget(name: "gantry-bench", dependencies: ["gantry", "GantryEngine", "GantryTUI", "GantryTestSupport", .product(name: "Crypto", package: "swift-crypto")]),
        // Shared test helpers: real registries on loopback, temporary folders, processes.
        .target(
            name: "GantryTestSupport",
            dependencies: [
                "GantryEngine",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ]
        ),
        .testTarget(name: "GantryEngineTests", dependencies: [
            "GantryEngine", "GantryTestSupport", .product(name: "Yams", package: "Yams"), .product(name: "Crypto", package: "swift-crypto"),
        ]),
        .testTarget(name: "GantryTUITests", dependencies: ["GantryTUI", "GantryTestSupport"]),
        .testTarget(name: "GantryCommandTests", dependencies: [
            "GantryCommand", "GantryTestSupport", .product(name: "Yams", package: "Yams"), .product(name: "Crypto", package: "swift-crypto"),
        ]),
    ],
    swiftLanguageModes: [.v6]
)
