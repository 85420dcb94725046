import LakegateCore

extension PlanRenderer {
    /// The plan for a screen that is not a terminal (the console), from the same lines ``render(_:)`` prints:
    ///
    /// `{"product", "target", "digest", "summary", "changes", "warnings", "text", "actions": [{"type", "mark",
    /// "kind", "key", "name", "header", "reason"?, "changes": [{"field", "before"?, "after"?, "line"}]}]}`, where
    /// `before`/`after` are values as `show` prints them (absent when the field is absent on that side), `changes`
    /// counts the actions that change something and `text` is the whole rendering. The plan goes through
    /// ``Plan/redacted(mask:)`` first; `digest` is the original plan's.
    public func document(_ plan: Plan, mask: (String) -> String = { $0 }) -> JSONValue {
        let shown = plan.redacted(mask: mask)
        let actions: [JSONValue] = shown.actions.map { action in
            var object: [String: JSONValue] = [
                "type": .string(action.type.rawValue), "mark": .string(action.type.mark),
                "kind": .string(action.kind.singular), "key": .string(action.key), "name": .string(action.name),
                "header": .string(header(action)),
                "changes": .array(
                    action.changes.map { change in
                        var object: [String: JSONValue] = [
                            "field": .string(change.field), "line": .string(line(change)),
                        ]
                        if let before = change.before { object["before"] = .string(Self.show(before)) }
                        if let after = change.after { object["after"] = .string(Self.show(after)) }
                        return .object(object)
                    }),
            ]
            if let reason = action.reason { object["reason"] = .string(reason) }
            return .object(object)
        }
        return .object([
            "product": .string(plan.product), "target": .string(plan.target), "digest": .string(plan.digest),
            "summary": .string(plan.summary.line),
            "changes": .int(Int64(plan.actions.filter { $0.type != .retain }.count)),
            "warnings": .array(shown.warnings.map { .string($0) }), "text": .string(render(shown)),
            "drift": .array(
                shown.drift.map { entry in
                    .object([
                        "kind": .string(entry.kind.singular), "key": .string(entry.key), "name": .string(entry.name),
                        "lines": .array(entry.changes.map { .string(driftLine($0)) }),
                    ])
                }),
            "actions": .array(actions),
        ])
    }
}
