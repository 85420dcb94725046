import Foundation
import Yams

/// The `gates` section of the operator config (`lakegate.yaml`): one entry per environment.
///
/// ```yaml
/// gates:
///   prod:
///     requireSignedRelease: true
///     allowedSigners: governance/allowed_signers   # relative to the config file
///     revoked: governance/revoked_keys
///     quorum: 2
///     fourEyes: true
///     requiredTrailers:
///       - key: Change-Ticket
///         pattern: "CHG-[0-9]+"
/// ```
public struct GatesConfig: Sendable, Equatable {
    /// One environment's settings as written; every field is optional.
    public struct Environment: Sendable, Equatable, Decodable {
        public struct Trailer: Sendable, Equatable, Decodable {
            public var key: String
            public var pattern: String?
        }

        public var requiredTrailers: [Trailer]?
        public var requireSignedRelease: Bool?
        public var quorum: Int?
        public var allowedSigners: String?
        public var revoked: String?
        public var fourEyes: Bool?
        public var gpgHome: String?
    }

    private struct File: Decodable {
        var gates: [String: Environment]?
    }

    /// Settings by environment name.
    public var environments: [String: Environment]
    /// The config file, for resolving relative paths and for messages.
    public var path: String

    public init(environments: [String: Environment] = [:], path: String = "") {
        self.environments = environments
        self.path = path
    }

    /// Reads the `gates` section of a config file; other sections are ignored.
    public init(contentsOf path: String) throws {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw GatesConfigError(path: path, message: "cannot read config file")
        }
        do {
            let file = try YAMLDecoder().decode(File.self, from: data)
            self.init(environments: file.gates ?? [:], path: path)
        } catch let error as DecodingError {
            throw GatesConfigError(path: path, message: Self.describe(error))
        } catch {
            throw GatesConfigError(path: path, message: "\(error)")
        }
        for (name, environment) in environments {
            if let quorum = environment.quorum, quorum < 0 {
                throw GatesConfigError(path: path, message: "gates.\(name).quorum: must be 0 or more")
            }
            for (index, trailer) in (environment.requiredTrailers ?? []).enumerated() {
                if let pattern = trailer.pattern, (try? Regex(pattern)) == nil {
                    throw GatesConfigError(
                        path: path,
                        message: "gates.\(name).requiredTrailers[\(index)].pattern: invalid regular expression")
                }
            }
        }
    }

    private static func describe(_ error: DecodingError) -> String {
        func field(_ path: [any CodingKey]) -> String {
            path.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined().trimmingCharacters(
                in: CharacterSet(charactersIn: "."))
        }
        switch error {
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
            return "\(field(context.codingPath)): \(context.debugDescription)"
        case .keyNotFound(let key, let context):
            return "\(field(context.codingPath + [key])): required field is missing"
        @unknown default:
            return "\(error)"
        }
    }

    /// The policy for `environment`, with relative file paths resolved against the config file.
    public func policy(for environment: String) throws -> GatePolicy {
        var policy = GatePolicy()
        guard let settings = environments[environment] else { return policy }
        let base = (path as NSString).deletingLastPathComponent
        func resolve(_ file: String) -> String {
            file.hasPrefix("/") || base.isEmpty ? file : (base as NSString).appendingPathComponent(file)
        }
        if let trailers = settings.requiredTrailers {
            policy.requiredTrailers = trailers.map { GatePolicy.RequiredTrailer(key: $0.key, pattern: $0.pattern) }
        }
        if let value = settings.requireSignedRelease { policy.requireSignedRelease = value }
        if let value = settings.quorum { policy.quorum = value }
        if let value = settings.fourEyes { policy.fourEyes = value }
        if let file = settings.allowedSigners { policy.allowedSigners = try AllowedSigners(contentsOf: resolve(file)) }
        if let file = settings.revoked { policy.revoked = try RevocationList(contentsOf: resolve(file)) }
        if let home = settings.gpgHome { policy.gpgHome = resolve(home) }
        return policy
    }
}

/// A bad `gates` section: `path: field: message`.
public struct GatesConfigError: Error, Sendable, CustomStringConvertible {
    public var path: String
    public var message: String
    public var description: String { "\(path): \(message)" }
}
