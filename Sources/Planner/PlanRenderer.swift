import LakegateCore

/// Renders a plan for people, like `terraform plan`: marks, field diffs, a summary line.
public struct PlanRenderer: Sendable {
    /// Whether to use ANSI colours (only on a terminal).
    public var colors: Bool

    public init(colors: Bool) {
        self.colors = colors
    }

    private func paint(_ text: String, _ type: PlanActionType) -> String {
        guard colors else { return text }
        let code =
            switch type {
            case .create: "32"
            case .update: "33"
            case .replace: "35"
            case .delete: "31"
            case .retain: "36"
            case .adopt: "34"
            }
        return "\u{1B}[\(code)m\(text)\u{1B}[0m"
    }

    /// A value shown in a diff: strings quoted, other values as compact JSON, cut at 200 characters.
    public static func show(_ value: JSONValue?) -> String {
        guard let value else { return "(none)" }
        let text = value.canonicalJSON
        return text.count > 200 ? String(text.prefix(197)) + "..." : text
    }

    /// The first line of an action: `~ table tables.orders (main.sales.orders) will be updated in place`.
    public func header(_ action: PlanAction) -> String {
        let verb =
            switch action.type {
            case .create: "will be created"
            case .update: "will be updated in place"
            case .replace: "must be replaced"
            case .delete: "will be deleted"
            case .retain: "is retained"
            case .adopt: "will be adopted"
            }
        return paint("\(action.type.mark) \(action.kind.singular) \(action.key)", action.type)
            + " (\(action.name)) \(verb)"
    }

    /// One field change: `+ field = new`, `- field = old` or `~ field: old -> new`.
    public func line(_ change: FieldChange) -> String {
        switch (change.before, change.after) {
        case (nil, let after?):
            paint("+", .create) + " \(change.field) = \(Self.show(after))"
        case (let before?, nil):
            paint("-", .delete) + " \(change.field) = \(Self.show(before))"
        default:
            paint("~", .update) + " \(change.field): \(Self.show(change.before)) -> \(Self.show(change.after))"
        }
    }

    /// The whole plan as text, ending with the summary line.
    public func render(_ plan: Plan) -> String {
        var out = ""
        for warning in plan.warnings { out += "Warning: \(warning)\n" }
        if !plan.warnings.isEmpty { out += "\n" }
        guard !plan.actions.isEmpty else {
            guard plan.drift.isEmpty else {
                return out + driftSection(plan)
                    + "\nNo changes. The revision's changes are all in; the drift above stays (self-heal is off).\n"
            }
            return out + "No changes. The workspace matches the desired state of \(plan.product) (\(plan.target)).\n"
        }
        for action in plan.actions {
            out += header(action) + "\n"
            if let reason = action.reason { out += "    # \(reason)\n" }
            for change in action.changes { out += "    " + line(change) + "\n" }
        }
        if !plan.drift.isEmpty { out += "\n" + driftSection(plan) }
        return out + "\n" + plan.summary.line + "\n"
    }

    /// The live changes a three-way plan keeps: `! table tables.orders (main.sales.orders) drifted: kept`, then
    /// one `field: live (kept), desired value` line per field.
    public func driftSection(_ plan: Plan) -> String {
        var out = "Drift kept (self-heal is off; these fields did not change in the revision since the last apply):\n"
        for entry in plan.drift {
            out += paint("! \(entry.kind.singular) \(entry.key)", .retain) + " (\(entry.name)) drifted: kept\n"
            for change in entry.changes { out += "    " + driftLine(change) + "\n" }
        }
        return out
    }

    /// One kept field: `columns.region.comment = "x" in the workspace, (none) in the desired state: kept`.
    public func driftLine(_ change: FieldChange) -> String {
        "\(change.field) = \(Self.show(change.before)) in the workspace, \(Self.show(change.after)) in the desired "
            + "state: kept"
    }
}
