import Foundation
import LakegateCore

/// Resolves a blueprint's parameters from `--set` values, a terminal, and defaults.
public enum ParameterValues {
    /// Parses `key=value` arguments; a malformed or repeated one is an error naming it.
    public static func parse(_ arguments: [String]) throws -> [String: String] {
        var values: [String: String] = [:]
        for argument in arguments {
            guard let equals = argument.firstIndex(of: "="), equals != argument.startIndex else {
                throw LifecycleError("--set \(argument): expected key=value")
            }
            let key = String(argument[..<equals])
            guard values[key] == nil else { throw LifecycleError("--set \(key) is given twice") }
            values[key] = String(argument[argument.index(after: equals)...])
        }
        return values
    }

    /// The value of every parameter, in declaration order.
    ///
    /// A `--set` value wins; otherwise a terminal (`prompter`) is asked, showing the default, until a valid value
    /// is typed; without a terminal the default is used. A value that does not match its pattern, an unknown
    /// `--set` key, or a parameter with neither value nor default (no terminal) is an error naming the parameter.
    public static func resolve(
        _ blueprint: Blueprint, given: [String: String], prompter: Prompter?
    ) throws -> [String: String] {
        let names = Set(blueprint.parameters.map(\.name))
        if let unknown = given.keys.sorted().first(where: { !names.contains($0) }) {
            throw LifecycleError(
                "--set \(unknown): blueprint \(blueprint.name) has no parameter '\(unknown)' "
                    + "(parameters: \(blueprint.parameters.map(\.name).joined(separator: ", ")))")
        }
        var values: [String: String] = [:]
        var problems: [String] = []
        for parameter in blueprint.parameters {
            let fallback: String?
            do {
                fallback = try parameter.defaultValue.map { try Template.render($0, values: values, path: "default") }
            } catch {
                throw LifecycleError("\(parameter.location): the default of '\(parameter.name)': \(error)")
            }
            if let value = given[parameter.name] {
                if let problem = parameter.problem(with: value) {
                    problems.append("--set \(parameter.name): \(problem)")
                }
                values[parameter.name] = value
            } else if let prompter {
                values[parameter.name] = try ask(parameter, fallback: fallback, prompter: prompter)
            } else if let fallback {
                if let problem = parameter.problem(with: fallback) {
                    problems.append("\(parameter.name): the default \(problem); pass --set \(parameter.name)=VALUE")
                }
                values[parameter.name] = fallback
            } else {
                problems.append(
                    "missing parameter '\(parameter.name)' (\(parameter.prompt)): pass --set \(parameter.name)=VALUE "
                        + "(not a terminal, so it cannot be asked)")
                values[parameter.name] = ""
            }
        }
        if !problems.isEmpty { throw LifecycleError(problems.joined(separator: "\n")) }
        return values
    }

    private static func ask(_ parameter: BlueprintParameter, fallback: String?, prompter: Prompter) throws -> String {
        let question = parameter.prompt + (fallback.map { " [\($0)]" } ?? "") + ": "
        while true {
            guard let line = prompter.ask(question) else {
                throw LifecycleError("no value for parameter '\(parameter.name)': input ended")
            }
            let typed = line.trimmingCharacters(in: .whitespaces)
            guard let value = typed.isEmpty ? fallback : typed else {
                prompter.tell("  '\(parameter.name)' needs a value")
                continue
            }
            if let problem = parameter.problem(with: value) {
                prompter.tell("  \(problem)")
                continue
            }
            return value
        }
    }
}
