import LakegateCore

/// One capture decision about a Genie description, and the note that says what happened.
struct GenieDecision {
    let space: String
    let file: String
    var notes: [String] = []
    /// Whether the last decision leaves the value to the contract while Genie still shows another one.
    var follows = false

    /// The value the file should hold for one description (nil: leave it out, the contract gives it).
    mutating func decide(
        live: JSONValue?, deployed: JSONValue?, file written: JSONValue?, contract: JSONValue?, what: String
    ) -> JSONValue? {
        let have = ProductCapture.cleaned(live)
        let was = ProductCapture.cleaned(deployed)
        let given = ProductCapture.cleaned(contract)
        follows = false
        if have == was && written == nil {
            if have != given {
                follows = true
                notes.append(
                    "\(space): \(what) kept from the contract; Genie still shows the previous text until the next apply"
                )
            }
            return nil
        }
        if have == given {
            if written != nil {
                notes.append("\(space): \(what) is the contract's: removed from \(file), it is derived again")
            }
            return nil
        }
        if let written, have == was { return written }  // the file's own value, unchanged in Genie
        let whose = given == nil ? "the contract gives none" : "it overrides the contract's"
        if have == nil {
            notes.append("\(space): \(what) removed in Genie: recorded as empty in \(file) (\(whose))")
            return .array([])
        }
        notes.append("\(space): \(what) changed in Genie: recorded in \(file) (\(whose))")
        return have
    }
}
