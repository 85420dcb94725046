import ArgumentParser

/// `--key`, `--message` and `--push`: how `release` and `approve` sign, describe and publish their tag.
struct TagOptions: ParsableArguments {
    @Option(help: "Sign with this SSH key file instead of git's user.signingkey (with gpg.format=ssh).")
    var key: String?

    @Option(help: "A message for the tag, above the trailers Lakegate records.")
    var message: String?

    @Flag(help: "Push the tag to origin.")
    var push = false
}
