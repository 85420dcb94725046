import LakegateCore

extension ProductLoader {
    static func loadBundle(
        _ source: any FileSource, files: [String], diagnostics: inout DiagnosticCollector
    ) -> Bundle? {
        guard source.exists(bundleFile) else {
            diagnostics.add(SourceLocation(path: bundleFile), "missing bundle file \(bundleFile)")
            return nil
        }
        guard let root = parse(source, bundleFile, diagnostics: &diagnostics),
            let reader = YAMLMappingReader(root, context: bundleFile, diagnostics: &diagnostics)
        else { return nil }
        reader.checkKeys(topLevelKeys, ignored: IgnoredBundleKeys.topLevel, diagnostics: &diagnostics)
        let bundleSection = reader.mapping("bundle", context: "'bundle'", required: true, diagnostics: &diagnostics)
        bundleSection?.checkKeys(["name"], ignored: IgnoredBundleKeys.bundle, diagnostics: &diagnostics)
        let name = bundleSection?.string("name", required: true, diagnostics: &diagnostics) ?? ""
        if !name.isEmpty, name.contains("${") {
            diagnostics.add(bundleSection!["name"]!.location, "'bundle.name' cannot use interpolation")
        }

        var bundle = Bundle(
            name: name, json: root.jsonValue, variables: [:], workspace: nil, resources: [:], targets: [:])
        if let workspace = reader.mapping("workspace", context: "'workspace'", diagnostics: &diagnostics) {
            workspace.checkKeys(workspaceKeys, ignored: IgnoredBundleKeys.workspace, diagnostics: &diagnostics)
            bundle.workspace = workspace.node
        }
        var documents: [(String, YAMLMappingReader)] = [(bundleFile, reader)]
        var includedJSON: [String: JSONValue] = [:]
        for pattern in readIncludes(reader, diagnostics: &diagnostics) {
            let matches = files.filter { Glob.matches(pattern.0, $0) && $0 != bundleFile }
            if matches.isEmpty {
                diagnostics.add(pattern.1, "include pattern '\(pattern.0)' matches no file")
            }
            for path in matches where !documents.contains(where: { $0.0 == path }) {
                guard let node = parse(source, path, diagnostics: &diagnostics),
                    let included = YAMLMappingReader(node, context: path, diagnostics: &diagnostics)
                else { continue }
                included.checkKeys(includedFileKeys, ignored: IgnoredBundleKeys.topLevel, diagnostics: &diagnostics)
                documents.append((path, included))
                includedJSON[path] = node.jsonValue
            }
        }
        for (path, document) in documents {
            readVariables(document, into: &bundle, diagnostics: &diagnostics)
            if let resources = readResources(document, file: path, diagnostics: &diagnostics) {
                for (kind, entries) in resources {
                    for (key, resource) in entries {
                        if let existing = bundle.resources[kind]?[key] {
                            diagnostics.add(
                                resource.keyLocation,
                                "resource '\(kind.rawValue).\(key)' is already defined at \(existing.file):\(existing.keyLocation.line)"
                            )
                        } else {
                            bundle.resources[kind, default: [:]][key] = resource
                        }
                    }
                }
            }
            readTargets(document, file: path, into: &bundle, diagnostics: &diagnostics)
        }
        if bundle.targets.isEmpty {
            diagnostics.add(reader.location(of: "targets"), "\(bundleFile) declares no targets")
        }
        let defaults = bundle.targets.values.filter(\.isDefault).sorted { $0.location < $1.location }
        for extra in defaults.dropFirst() {
            diagnostics.add(extra.location, "target '\(extra.name)' is marked default, but so is '\(defaults[0].name)'")
        }
        if !includedJSON.isEmpty, case .object(var members) = bundle.json {
            members["include"] = .array(includedJSON.keys.sorted().map { .string($0) })
            bundle.json = .object(members)
        }
        return bundle
    }

    private static func readIncludes(
        _ reader: YAMLMappingReader, diagnostics: inout DiagnosticCollector
    ) -> [(String, SourceLocation)] {
        guard let items = reader.sequence("include", diagnostics: &diagnostics) else { return [] }
        var patterns: [(String, SourceLocation)] = []
        for item in items {
            guard let text = item.text, item.scalar != nil else {
                diagnostics.add(
                    item.location, "items of 'include' must be file patterns, found \(item.kindDescription)")
                continue
            }
            if text.hasPrefix("/") || text.split(separator: "/").contains("..") {
                diagnostics.add(item.location, "include pattern '\(text)' must stay inside the product directory")
                continue
            }
            patterns.append((text.hasPrefix("./") ? String(text.dropFirst(2)) : text, item.location))
        }
        return patterns
    }

    private static func readVariables(
        _ reader: YAMLMappingReader, into bundle: inout Bundle, diagnostics: inout DiagnosticCollector
    ) {
        guard let variables = reader.mapping("variables", context: "'variables'", diagnostics: &diagnostics) else {
            return
        }
        for pair in variables.pairs {
            if !NameRules.isIdentifier(pair.key) {
                diagnostics.add(pair.keyLocation, "invalid variable name '\(pair.key)': use letters, digits and '_'")
            }
            if let existing = bundle.variables[pair.key] {
                diagnostics.add(
                    pair.keyLocation,
                    "variable '\(pair.key)' is already declared at \(existing.location.path):\(existing.location.line)")
                continue
            }
            var variable = BundleVariable(name: pair.key, location: pair.keyLocation)
            if pair.value.scalar != nil {
                // Short form: `name: value` is the default.
                variable.defaultValue = pair.value.scalar!.isNull ? nil : pair.value
            } else if let body = YAMLMappingReader(
                pair.value, context: "variable '\(pair.key)'", diagnostics: &diagnostics)
            {
                body.checkKeys(variableKeys, diagnostics: &diagnostics)
                variable.description = body.string("description", diagnostics: &diagnostics)
                if let value = body.value("default", diagnostics: &diagnostics) {
                    if value.scalar == nil {
                        diagnostics.add(
                            value.location,
                            "default of variable '\(pair.key)' must be a string, number or Boolean, found \(value.kindDescription)"
                        )
                    } else {
                        variable.defaultValue = value
                    }
                }
            }
            bundle.variables[pair.key] = variable
        }
    }

    static func readResources(
        _ reader: YAMLMappingReader, file: String, diagnostics: inout DiagnosticCollector
    ) -> [ResourceKind: [String: BundleResource]]? {
        guard let resources = reader.mapping("resources", context: "'resources'", diagnostics: &diagnostics) else {
            return nil
        }
        var result: [ResourceKind: [String: BundleResource]] = [:]
        for pair in resources.pairs {
            guard let kind = ResourceKind(rawValue: pair.key), BundleKinds.supported.contains(kind) else {
                let supported = BundleKinds.supported.map(\.rawValue)
                if BundleKinds.known.contains(pair.key) || ResourceKind(rawValue: pair.key) != nil {
                    diagnostics.add(
                        pair.keyLocation,
                        "unsupported resource kind '\(pair.key)': Lakegate manages \(supported.joined(separator: ", "))"
                            + (pair.key == "tables" ? "; tables come from the contracts" : ""))
                } else {
                    diagnostics.add(
                        pair.keyLocation,
                        "unknown resource kind '\(pair.key)'" + EditDistance.hint(for: pair.key, among: supported))
                }
                continue
            }
            guard
                let entries = YAMLMappingReader(
                    pair.value, context: "'resources.\(pair.key)'", diagnostics: &diagnostics)
            else { continue }
            for entry in entries.pairs {
                if !NameRules.isIdentifier(entry.key) {
                    diagnostics.add(
                        entry.keyLocation, "invalid resource key '\(entry.key)': use letters, digits, '_' and '-'")
                    continue
                }
                guard entry.value.mapping != nil else {
                    diagnostics.add(
                        entry.value.location,
                        "'resources.\(pair.key).\(entry.key)' must be a mapping, found \(entry.value.kindDescription)")
                    continue
                }
                let node = IgnoredBundleKeys.strip(
                    entry.value, context: "'resources.\(pair.key).\(entry.key)'", kind: kind, diagnostics: &diagnostics)
                result[kind, default: [:]][entry.key] = BundleResource(
                    kind: kind, key: entry.key, node: node, file: file, keyLocation: entry.keyLocation)
            }
        }
        return result
    }

    private static func readTargets(
        _ reader: YAMLMappingReader, file: String, into bundle: inout Bundle, diagnostics: inout DiagnosticCollector
    ) {
        guard let targets = reader.mapping("targets", context: "'targets'", diagnostics: &diagnostics) else { return }
        for pair in targets.pairs {
            if !NameRules.isIdentifier(pair.key) {
                diagnostics.add(pair.keyLocation, "invalid target name '\(pair.key)': use letters, digits, '_' and '-'")
            }
            if let existing = bundle.targets[pair.key] {
                diagnostics.add(
                    pair.keyLocation,
                    "target '\(pair.key)' is already defined at \(existing.location.path):\(existing.location.line)")
                continue
            }
            var target = BundleTarget(
                name: pair.key, isDefault: false, mode: nil, workspace: nil, variables: [], resources: [:],
                location: pair.keyLocation)
            if pair.value.scalar?.isNull == true {
                bundle.targets[pair.key] = target
                continue
            }
            guard let body = YAMLMappingReader(pair.value, context: "target '\(pair.key)'", diagnostics: &diagnostics)
            else { continue }
            body.checkKeys(targetKeys, ignored: IgnoredBundleKeys.target, diagnostics: &diagnostics)
            target.isDefault = body.bool("default", diagnostics: &diagnostics) ?? false
            target.mode = body.oneOf("mode", ["development", "production"], diagnostics: &diagnostics)
            if let workspace = body.mapping(
                "workspace", context: "'targets.\(pair.key).workspace'", diagnostics: &diagnostics)
            {
                workspace.checkKeys(workspaceKeys, ignored: IgnoredBundleKeys.workspace, diagnostics: &diagnostics)
                target.workspace = workspace.node
            }
            if let variables = body.mapping(
                "variables", context: "'targets.\(pair.key).variables'", diagnostics: &diagnostics)
            {
                for variable in variables.pairs {
                    if variable.value.scalar == nil {
                        diagnostics.add(
                            variable.value.location,
                            "value of variable '\(variable.key)' must be a string, number or Boolean, found \(variable.value.kindDescription)"
                        )
                        continue
                    }
                    target.variables.append(variable)
                }
            }
            target.resources = readResources(body, file: file, diagnostics: &diagnostics) ?? [:]
            bundle.targets[pair.key] = target
        }
    }
}
