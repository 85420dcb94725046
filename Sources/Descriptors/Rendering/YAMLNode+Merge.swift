import LakegateCore

extension YAMLNode {
    /// Applies a target override as bundles do: mappings merge key by key, job `tasks` and
    /// `job_clusters` merge by their key field, any other value is replaced by the override.
    func merged(with override: YAMLNode, field: String? = nil) -> YAMLNode {
        switch (content, override.content) {
        case (.mapping(let base), .mapping(let over)):
            var pairs = base
            for pair in over {
                if let index = pairs.firstIndex(where: { $0.key == pair.key }) {
                    pairs[index].value = pairs[index].value.merged(with: pair.value, field: pair.key)
                } else {
                    pairs.append(pair)
                }
            }
            return YAMLNode(.mapping(pairs), location: location)
        case (.sequence(let base), .sequence(let over)):
            let keyField: String? =
                switch field {
                case "tasks": "task_key"
                case "job_clusters": "job_cluster_key"
                default: nil
                }
            guard let keyField else { return override }
            var items = base
            for item in over {
                if let key = item[keyField]?.text, let index = items.firstIndex(where: { $0[keyField]?.text == key }) {
                    items[index] = items[index].merged(with: item)
                } else {
                    items.append(item)
                }
            }
            return YAMLNode(.sequence(items), location: location)
        default:
            return override
        }
    }
}
