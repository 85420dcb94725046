// swift-tools-version:6.2
import PackageDescription

// Dependencies point one way: C shims and LakegateCore at the bottom, executables at the top.
// The pure core (Descriptors, Planner, Governance, CEL) imports no C module and no networking.
let package = Package(
    name: "Lakegate",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "lakegate", targets: ["lakegate"]),
        .executable(name: "lakegate-emulator", targets: ["lakegate-emulator"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-crypto", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
    ],
    targets: [
        // MARK: System libraries
        .systemLibrary(name: "CGit2", pkgConfig: "libgit2", providers: [.apt(["libgit2-dev"])]),
        .systemLibrary(name: "CCurl", pkgConfig: "libcurl", providers: [.apt(["libcurl4-openssl-dev"])]),
        .systemLibrary(name: "CSQLite", pkgConfig: "sqlite3", providers: [.apt(["libsqlite3-dev"])]),
        .systemLibrary(name: "CPostgres", pkgConfig: "libpq", providers: [.apt(["libpq-dev"])]),

        // MARK: Pure core
        .target(name: "LakegateCore", dependencies: [.product(name: "Crypto", package: "swift-crypto")]),
        .target(
            name: "Descriptors",
            dependencies: ["LakegateCore", .product(name: "Yams", package: "Yams")]
        ),
        .target(name: "CEL", dependencies: ["LakegateCore"]),
        .target(name: "Planner", dependencies: ["LakegateCore"]),
        .target(
            name: "Capture", dependencies: ["LakegateCore", "Descriptors", "Planner"]
        ),
        .target(
            name: "Governance",
            dependencies: ["LakegateCore", "Descriptors", "CEL"]
        ),

        // MARK: I/O
        .target(name: "CurlHTTP", dependencies: ["CCurl", .product(name: "Logging", package: "swift-log")]),
        .target(
            name: "Databricks",
            dependencies: ["LakegateCore", "CurlHTTP", .product(name: "Logging", package: "swift-log")]
        ),
        .target(
            name: "GitSource",
            dependencies: [
                "LakegateCore", "Governance", "Store", "CGit2", .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"), .product(name: "Yams", package: "Yams"),
            ]
        ),
        .target(name: "Store", dependencies: ["LakegateCore", "CSQLite"]),
        // Shared state for several replicas, through libpq: only this target and the executable see it.
        .target(name: "PostgresStore", dependencies: ["Store", "CPostgres"]),
        .target(name: "OperatorConfig", dependencies: ["LakegateCore", "Descriptors", "Governance"]),
        .target(
            name: "Sync",
            dependencies: [
                "LakegateCore", "Descriptors", "Planner", "Databricks", "GitSource", "Store", "Capture",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "AuditTrail",
            dependencies: [
                "LakegateCore", "Store", "GitSource", "Governance", .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "Notifications",
            dependencies: [
                "LakegateCore", "Store", "OperatorConfig", "CurlHTTP",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"), .product(name: "Metrics", package: "swift-metrics"),
            ]
        ),
        .target(
            name: "Reconciler",
            dependencies: [
                "LakegateCore", "Descriptors", "Planner", "Governance", "Databricks", "GitSource", "Store", "Sync",
                "OperatorConfig", "Notifications", "CurlHTTP", .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
            ]
        ),
        .target(
            name: "EmulatorKit",
            dependencies: [
                "LakegateCore",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),

        .target(
            name: "ControlServer",
            dependencies: [
                "Reconciler", "LakegateCore", "Store", "OperatorConfig",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),

        .target(
            name: "Lifecycle",
            dependencies: [
                "LakegateCore", "Descriptors", "Governance", "GitSource", "Planner", "Databricks", "Store", "Sync",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),

        // MARK: Executables (argument parsing and wiring only)
        .executableTarget(
            name: "lakegate",
            dependencies: [
                "LakegateCore", "Descriptors", "Planner", "Governance", "CEL", "Databricks", "GitSource", "Store",
                "Reconciler", "Sync", "ControlServer", "CurlHTTP", "Capture", "Lifecycle", "OperatorConfig",
                "AuditTrail", "PostgresStore", "Notifications",
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "lakegate-emulator",
            dependencies: [
                "EmulatorKit",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),

        // MARK: Benchmarks (executables; figures in BENCHMARKS.md)
        .target(name: "BenchSupport", path: "Benchmarks/BenchSupport"),
        .executableTarget(
            name: "bench-render", dependencies: ["Descriptors", "BenchSupport"], path: "Benchmarks/bench-render"),
        .executableTarget(
            name: "bench-contract", dependencies: ["Descriptors", "BenchSupport"], path: "Benchmarks/bench-contract"),
        .executableTarget(name: "bench-plan", dependencies: ["Planner"], path: "Benchmarks/bench-plan"),
        .executableTarget(
            name: "bench-live-read", dependencies: ["Databricks", "CurlHTTP"], path: "Benchmarks/bench-live-read"),
        .executableTarget(
            name: "bench-git", dependencies: ["GitSource", "Governance", "Store"], path: "Benchmarks/bench-git"),
        .executableTarget(
            name: "bench-policy", dependencies: ["Governance"], path: "Benchmarks/bench-policy"),

        // MARK: Tests
        .target(
            name: "TestSupport",
            dependencies: [
                "LakegateCore", "CurlHTTP", "Databricks", "EmulatorKit",
                .product(name: "Logging", package: "swift-log"),
            ],
            path: "Tests/TestSupport"
        ),
        .testTarget(name: "LakegateCoreTests", dependencies: ["LakegateCore"]),
        .testTarget(name: "DescriptorsTests", dependencies: ["Descriptors", "TestSupport"], exclude: ["Golden"]),
        .testTarget(name: "CELTests", dependencies: ["CEL"], exclude: ["conformance"]),
        .testTarget(name: "PlannerTests", dependencies: ["Planner", "TestSupport"]),
        .testTarget(name: "CaptureTests", dependencies: ["Capture", "Descriptors", "Planner", "TestSupport"]),
        .testTarget(
            name: "GovernanceTests", dependencies: ["Governance", "Descriptors", "LakegateCore", "TestSupport"]),
        .testTarget(
            name: "CurlHTTPTests",
            dependencies: ["CurlHTTP", "LakegateCore", .product(name: "Logging", package: "swift-log")]),
        .testTarget(
            name: "DatabricksTests",
            dependencies: ["Databricks", "CurlHTTP", "EmulatorKit", "LakegateCore", "TestSupport"]),
        .testTarget(name: "GitSourceTests", dependencies: ["GitSource", "Governance", "Store", "TestSupport"]),
        .testTarget(name: "StoreTests", dependencies: ["Store", "TestSupport"]),
        .testTarget(name: "PostgresStoreTests", dependencies: ["PostgresStore", "Store"]),
        .testTarget(
            name: "OperatorConfigTests", dependencies: ["OperatorConfig", "Governance", "LakegateCore", "TestSupport"]),
        .testTarget(
            name: "AuditTrailTests",
            dependencies: [
                "AuditTrail", "Store", "GitSource", "TestSupport", .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "ReconcilerTests",
            dependencies: [
                "Reconciler", "Sync", "Databricks", "Store", "LakegateCore", "TestSupport", "Planner", "Governance",
                "OperatorConfig", .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "MetricsTestKit", package: "swift-metrics"),
            ]
        ),
        .testTarget(
            name: "SyncTests",
            dependencies: [
                "Sync", "Planner", "Databricks", "Store", "Descriptors", "EmulatorKit", "TestSupport",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
            ]
        ),
        .testTarget(name: "EmulatorKitTests", dependencies: ["EmulatorKit", "TestSupport"]),
        .testTarget(
            name: "LakegateCLITests",
            dependencies: [
                "TestSupport", "Store", "Databricks", .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "NotificationsTests",
            dependencies: [
                "Notifications", "Store", "OperatorConfig", "CurlHTTP", "LakegateCore", "TestSupport",
                .product(name: "Logging", package: "swift-log"), .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "MetricsTestKit", package: "swift-metrics"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ]
        ),
        .testTarget(
            name: "ControlServerTests",
            dependencies: [
                "ControlServer", "Reconciler", "Sync", "Databricks", "Store", "OperatorConfig", "TestSupport",
                .product(name: "Logging", package: "swift-log"), .product(name: "Metrics", package: "swift-metrics"),
            ]
        ),
        .testTarget(
            name: "LifecycleTests",
            dependencies: ["Lifecycle", "GitSource", "Descriptors", "Governance", "Store", "TestSupport"]),
    ]
)

// Swift 6 mode is the default with tools 6.2; these settings hold for our own targets only.
for target in package.targets where [.executable, .test, .regular].contains(target.type) {
    var settings = target.swiftSettings ?? []
    settings.append(.enableUpcomingFeature("ExistentialAny"))
    settings.append(.enableUpcomingFeature("MemberImportVisibility"))
    settings.append(.treatAllWarnings(as: .error))
    target.swiftSettings = settings
}
