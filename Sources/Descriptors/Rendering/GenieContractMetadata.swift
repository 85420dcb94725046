import LakegateCore

/// What the contracts give a Genie space about one product table: the table comment as its description, and per
/// column the comment as its description and the business name as a synonym.
///
/// A `data_sources.tables[]` entry of a Genie space file says otherwise *explicitly* by holding the key: a
/// table's `description`, or a column's `description` or `synonyms` in its `column_configs` entry, wins over
/// the contract's, even when empty (`[]` or `null`: nothing in Genie although the contract has text). A key the
/// file leaves out comes from the contract, at every render, so later contract edits keep reaching Genie.
public struct GenieContractMetadata: Sendable, Hashable {
    /// The keys of a column config that the contracts fill in.
    public static let columnKeys = ["description", "synonyms"]

    /// The table description as Genie holds it (`[comment]`); nil when the contract has none.
    public var description: JSONValue?
    /// Column configs by lower-case column name, without `column_name`: only the keys the contract gives.
    public var columns: [String: [String: JSONValue]]
    /// Column names as the table spells them, by lower-case name.
    var columnNames: [String: String]

    /// The metadata of a rendered table resource.
    public init(table: Resource) {
        description = table.fields["comment"]?.stringValue.flatMap { $0.isEmpty ? nil : [.string($0)] }
        columns = [:]
        columnNames = [:]
        for column in table.fields["columns"]?.arrayValue ?? [] {
            guard let name = column["name"]?.stringValue else { continue }
            var config: [String: JSONValue] = [:]
            if let comment = column["comment"]?.stringValue, !comment.isEmpty {
                config["description"] = [.string(comment)]
            }
            if let businessName = column["tags"]?["business_name"]?.stringValue, !businessName.isEmpty {
                config["synonyms"] = [.string(businessName)]
            }
            if !config.isEmpty {
                columns[name.lowercased()] = config
                columnNames[name.lowercased()] = name
            }
        }
    }

    /// `entry` (a `data_sources.tables[]` item as the file gives it) with every key it leaves out filled in from
    /// the contract; column configs sorted by column name.
    public func filling(_ entry: [String: JSONValue]) -> [String: JSONValue] {
        var table = entry
        if table["description"] == nil, let description { table["description"] = description }
        var configs: [JSONValue]
        switch table["column_configs"] {
        case nil: configs = []
        case .array(let items)?: configs = items
        default: return table  // not a list: left as written, Genie's validation reports it
        }
        var seen: Set<String> = []
        for index in configs.indices {
            guard case .object(var config) = configs[index],
                let name = config["column_name"]?.stringValue?.lowercased()
            else { continue }
            seen.insert(name)
            for (key, value) in columns[name] ?? [:] where config[key] == nil { config[key] = value }
            configs[index] = .object(config)
        }
        for (name, config) in columns where !seen.contains(name) {
            configs.append(.object(config.merging(["column_name": .string(columnNames[name] ?? name)]) { a, _ in a }))
        }
        if !configs.isEmpty {
            table["column_configs"] = .array(
                configs.sorted {
                    ($0["column_name"]?.stringValue?.lowercased() ?? "")
                        < ($1["column_name"]?.stringValue?.lowercased() ?? "")
                })
        }
        return table
    }
}
