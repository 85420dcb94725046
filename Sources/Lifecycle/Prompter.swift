/// Asks for missing values on a terminal: `ask` shows a question and returns the line typed (nil at end of
/// input), `tell` shows a message.
public struct Prompter: Sendable {
    public var ask: @Sendable (String) -> String?
    public var tell: @Sendable (String) -> Void

    public init(ask: @escaping @Sendable (String) -> String?, tell: @escaping @Sendable (String) -> Void) {
        self.ask = ask
        self.tell = tell
    }
}
