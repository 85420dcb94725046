import LakegateCore

extension Plan {
    /// Parts of a field or key name that mark its value as a credential (compared lower-cased, as substrings of
    /// each dotted path component): `password`, `client_secret`, `api_token`, `private_key`, ...
    public static let sensitiveNameParts = [
        "password", "passwd", "secret", "token", "private_key", "api_key", "apikey",
    ]

    /// Whether a field path or object key names a credential.
    public static func isSensitive(_ name: String) -> Bool {
        name.lowercased().split(separator: ".").contains { part in
            sensitiveNameParts.contains { part.contains($0) }
        }
    }

    /// What replaces a credential's value.
    public static let redactedValue = "<redacted>"

    /// The plan as it may be shown outside a terminal (the console): the value of every changed field whose name
    /// names a credential, and of every such key nested in a value, becomes `"<redacted>"`; `mask` is applied to
    /// every other string in the changes, reasons and warnings (to hide known secret values). The operations and
    /// desired resources are dropped: they are for the executor, not for display. Keep ``digest`` from the
    /// original plan: this one's differs.
    public func redacted(mask: (String) -> String = { $0 }) -> Plan {
        func clean(_ value: JSONValue?, sensitive: Bool) -> JSONValue? {
            guard let value else { return nil }
            if sensitive { return .string(Self.redactedValue) }
            switch value {
            case .string(let text): return .string(mask(text))
            case .array(let items): return .array(items.map { clean($0, sensitive: false) ?? .null })
            case .object(let members):
                return .object(
                    Dictionary(
                        uniqueKeysWithValues: members.map {
                            ($0.key, clean($0.value, sensitive: Self.isSensitive($0.key)) ?? .null)
                        }))
            default: return value
            }
        }
        func cleaned(_ change: FieldChange) -> FieldChange {
            let sensitive = Self.isSensitive(change.field)
            return FieldChange(
                field: change.field, before: clean(change.before, sensitive: sensitive),
                after: clean(change.after, sensitive: sensitive))
        }
        var copy = self
        copy.actions = actions.map { action in
            var action = action
            action.changes = action.changes.map(cleaned)
            action.reason = action.reason.map(mask)
            action.operations = []
            action.resource = nil
            return action
        }
        copy.drift = drift.map { entry in
            var entry = entry
            entry.changes = entry.changes.map(cleaned)
            return entry
        }
        copy.lastApplied = [:]
        copy.warnings = warnings.map(mask)
        return copy
    }
}
