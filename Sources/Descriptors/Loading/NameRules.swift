/// Naming rules for product ids, bundle keys and Unity Catalog names.
public enum NameRules {
    /// Unity Catalog object names Lakegate creates: letters, digits and `_`, 1–255 characters.
    ///
    /// Unity Catalog accepts more with back-quotes, but such names break SQL written by hand and Genie.
    public static func isUnityCatalogName(_ name: String) -> Bool {
        !name.isEmpty && name.count <= 255
            && name.unicodeScalars.allSatisfy {
                $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "_")
            }
    }

    /// Product ids: lower-case letters, digits and `-`, starting with a letter, at most 64 characters.
    public static func isProductID(_ id: String) -> Bool {
        guard let first = id.unicodeScalars.first, ("a"..."z").contains(first), id.count <= 64 else { return false }
        return id.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" }
    }

    /// Bundle keys, variable and target names: letters, digits, `_` and `-`.
    public static func isIdentifier(_ name: String) -> Bool {
        !name.isEmpty
            && name.unicodeScalars.allSatisfy {
                $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "_" || $0 == "-")
            }
    }

    /// The message for a name that breaks ``isUnityCatalogName(_:)``.
    public static func invalidUnityCatalogName(_ name: String, what: String) -> String {
        "invalid Unity Catalog \(what) name '\(name)': use letters, digits and '_' (at most 255 characters)"
    }
}
