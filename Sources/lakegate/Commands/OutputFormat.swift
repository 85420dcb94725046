import ArgumentParser

/// `--output text|json`, for the commands that print either.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case text, json
}
