import Descriptors
import Foundation
import LakegateCore

/// A product template: `blueprint.yaml` (name, description, parameters) and the files under `template/`.
///
/// ```yaml
/// name: sql-output-port
/// description: One governed SQL output port.
/// parameters:
///   - name: product_id
///     prompt: Product id
///     pattern: "[a-z][a-z0-9-]{1,62}"
///   - name: catalog_prefix
///     prompt: Catalog name prefix
///     default: "{{ product_id | snake }}"
/// ```
public struct Blueprint: Sendable {
    /// The manifest at the blueprint root.
    public static let manifestFile = "blueprint.yaml"
    /// The folder whose files are copied, placeholders substituted, into the new product.
    public static let templateDirectory = "template"

    public var name: String
    public var description: String?
    /// In the order they are asked.
    public var parameters: [BlueprintParameter]
    /// Where the blueprint was read from (a directory or a git tree).
    public var source: any FileSource

    /// Reads and checks the manifest; every problem is reported as `path:line:column: message`.
    public static func load(from source: any FileSource) throws(DiagnosticList) -> Blueprint {
        let path = manifestFile
        guard source.exists(path) else {
            throw DiagnosticList([
                Diagnostic(SourceLocation(path: "\(source.displayName)/\(path)"), "not a blueprint: no \(path)")
            ])
        }
        let node: YAMLNode
        do {
            node = try YAMLParser.parse(try source.read(path), path: path)
        } catch let error as DiagnosticList {
            throw error
        } catch {
            throw DiagnosticList([Diagnostic(SourceLocation(path: path), "\(error)")])
        }
        var diagnostics = DiagnosticCollector()
        guard let reader = YAMLMappingReader(node, context: "blueprint", diagnostics: &diagnostics) else {
            throw diagnostics.list
        }
        reader.checkKeys(["name", "description", "parameters"], diagnostics: &diagnostics)
        let name = reader.string("name", required: true, diagnostics: &diagnostics) ?? ""
        let description = reader.string("description", diagnostics: &diagnostics)
        var parameters: [BlueprintParameter] = []
        if let list = reader.value("parameters", diagnostics: &diagnostics) {
            if let items = list.sequence {
                for item in items {
                    if let parameter = Self.parameter(item, known: parameters, diagnostics: &diagnostics) {
                        parameters.append(parameter)
                    }
                }
            } else {
                diagnostics.add(
                    list.location, "'parameters' in blueprint must be a list, found \(list.kindDescription)")
            }
        }
        if (try? source.list(templateDirectory))?.isEmpty ?? true {
            diagnostics.add(SourceLocation(path: path), "the blueprint has no files under \(templateDirectory)/")
        }
        try diagnostics.throwIfAny()
        return Blueprint(name: name, description: description, parameters: parameters, source: source)
    }

    private static func parameter(
        _ node: YAMLNode, known: [BlueprintParameter], diagnostics: inout DiagnosticCollector
    ) -> BlueprintParameter? {
        guard let reader = YAMLMappingReader(node, context: "parameter", diagnostics: &diagnostics) else { return nil }
        reader.checkKeys(["name", "prompt", "default", "pattern"], diagnostics: &diagnostics)
        guard let name = reader.string("name", required: true, diagnostics: &diagnostics) else { return nil }
        let location = reader["name"]?.location ?? node.location
        if name.wholeMatch(of: /[a-z_][a-z0-9_]*/) == nil {
            diagnostics.add(location, "parameter name '\(name)' must be lower-case letters, digits and '_'")
        }
        if known.contains(where: { $0.name == name }) {
            diagnostics.add(location, "parameter '\(name)' is declared twice")
        }
        let prompt = reader.string("prompt", required: true, diagnostics: &diagnostics) ?? name
        let pattern = reader.string("pattern", diagnostics: &diagnostics)
        if let pattern, (try? Regex(pattern)) == nil {
            diagnostics.add(
                reader["pattern"]?.location ?? location, "pattern \(pattern) is not a valid regular expression")
        }
        return BlueprintParameter(
            name: name, prompt: prompt, defaultValue: reader.string("default", diagnostics: &diagnostics),
            pattern: pattern, location: location)
    }

    /// The files of the new product: every template file, path and text rendered with `values`.
    ///
    /// Files that are not UTF-8 text are copied unchanged. All placeholder problems are reported together.
    public func render(values: [String: String]) throws(DiagnosticList) -> [String: Data] {
        var files: [String: Data] = [:]
        var diagnostics = DiagnosticCollector()
        let templateFiles: [String]
        do {
            templateFiles = try source.list(Self.templateDirectory)
        } catch {
            throw DiagnosticList([Diagnostic(SourceLocation(path: Self.templateDirectory), "\(error)")])
        }
        for file in templateFiles {
            let relative = String(file.dropFirst(Self.templateDirectory.count + 1))
            do {
                let path = try Template.render(relative, values: values, path: file)
                let data = try source.read(file)
                if let text = String(data: data, encoding: .utf8) {
                    files[path] = Data(try Template.render(text, values: values, path: file).utf8)
                } else {
                    files[path] = data
                }
            } catch let error as DiagnosticList {
                diagnostics.add(error)
            } catch {
                diagnostics.add(SourceLocation(path: file), "cannot read: \(error)")
            }
        }
        try diagnostics.throwIfAny()
        return files
    }
}
