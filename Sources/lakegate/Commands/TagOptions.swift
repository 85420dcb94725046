import ArgumentParser

/// `--key`, `--message` and `--push`: how `release` and `approve` sign, describe and publish their tag.
struct TagOptions: ParsableArguments {
    @Option(help: "Sign with this SSH key file instead of git's user.signingkey (with gpg.format=ssh).")
    var key: String?

    @Option(
        name: [.customShort("m"), .customLong("message")],
        help: "A message for the tag, above the trailers Lakegate records (repeatable: one paragraph each, as git).")
    var messages: [String] = []

    @Flag(help: "Push the tag to origin.")
    var push = false

    /// The `-m`/`--message` paragraphs joined as git joins them; nil when none was given.
    var message: String? { MessageParagraphs.join(messages) }
}
