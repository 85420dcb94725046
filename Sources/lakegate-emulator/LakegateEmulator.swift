import ArgumentParser
import EmulatorKit
import Foundation
import Logging

/// `lakegate-emulator`: a local Databricks workspace over real HTTP.
@main
struct LakegateEmulator: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lakegate-emulator",
        abstract: "A local Databricks workspace for demos and tests.",
        discussion: """
            Prints the base URL alone on the first line of stdout once it listens; logs go to stderr. \
            SIGTERM or SIGINT stop it. See docs/emulator.md.
            """
    )

    @Option(help: "The address to listen on.")
    var host = "127.0.0.1"

    @Option(help: "The port to listen on; 0 picks a free one.")
    var port = 0

    @Option(help: "A JSON file the state is loaded from on start and written to after every change.")
    var state: String?

    @Option(help: "Require this bearer token (or an OAuth token issued here) on API calls.")
    var token: String?

    @Option(name: .customLong("client-id"), help: "The OAuth M2M client id accepted by /oidc/v1/token.")
    var clientID = EmulatorConfiguration.defaultClientID

    @Option(name: .customLong("client-secret"), help: "The OAuth M2M client secret accepted by /oidc/v1/token.")
    var clientSecret = EmulatorConfiguration.defaultClientSecret

    @Option(name: .customLong("azure-tenant-id"), help: "The Entra ID tenant served at /{tenant}/oauth2/token.")
    var azureTenantID = EmulatorConfiguration.defaultAzureTenantID

    @Option(name: .customLong("azure-client-id"), help: "The Azure service principal accepted by that endpoint.")
    var azureClientID = EmulatorConfiguration.defaultAzureClientID

    @Option(name: .customLong("azure-client-secret"), help: "The Azure service principal's client secret.")
    var azureClientSecret = EmulatorConfiguration.defaultAzureClientSecret

    @Option(
        name: .customLong("federation-token"),
        help: "An ID token /oidc/v1/token accepts in a token exchange for --client-id (repeatable).")
    var federationTokens: [String] = []

    @Option(
        name: .customLong("federation-token-file"),
        help: "A file holding an ID token accepted in a token exchange, read at every exchange.")
    var federationTokenFile: String?

    @Option(name: .customLong("token-lifetime"), help: "Seconds an issued OAuth access token stays valid.")
    var tokenLifetime = 3600

    @Option(name: .customLong("latency-ms"), help: "Milliseconds of latency added to every API call.")
    var latencyMilliseconds = 0

    @Option(name: .customLong("error-rate"), help: "The share (0-1) of API calls answered 503.")
    var errorRate = 0.0

    @Option(name: .customLong("fault-seed"), help: "Seeds the --error-rate draws: the same 503s on every run.")
    var faultSeed: UInt64?

    @Option(name: .customLong("rate-limit"), help: "API calls per second beyond which 429 is answered (0: none).")
    var rateLimit = 0

    func validate() throws {
        guard (0...65535).contains(port) else { throw ValidationError("--port must be between 0 and 65535") }
        guard tokenLifetime > 0 else { throw ValidationError("--token-lifetime must be positive") }
        let faults = FaultSettings(
            latencyMilliseconds: latencyMilliseconds, errorRate: errorRate, rateLimit: rateLimit == 0 ? nil : rateLimit)
        do { try faults.validate() } catch { throw ValidationError(error.message) }
    }

    func run() async throws {
        LoggingSystem.bootstrap { StreamLogHandler.standardError(label: $0) }
        let logger = Logger(label: "lakegate-emulator")
        let configuration = EmulatorConfiguration(
            host: host, port: port, statePath: state, token: token, clientID: clientID, clientSecret: clientSecret,
            tokenLifetimeSeconds: tokenLifetime,
            faults: FaultSettings(
                latencyMilliseconds: latencyMilliseconds, errorRate: errorRate,
                rateLimit: rateLimit == 0 ? nil : rateLimit, seed: faultSeed),
            azureTenantID: azureTenantID, azureClientID: azureClientID, azureClientSecret: azureClientSecret,
            federationSubjectTokens: federationTokens, federationSubjectTokenFile: federationTokenFile)
        let server = try EmulatorServer(configuration: configuration, logger: logger)
        try await server.run { url in
            FileHandle.standardOutput.write(Data((url + "\n").utf8))
            logger.info("listening on \(url)")
        }
    }
}
