import ArgumentParser
import Foundation
import GantryEngine

/// `gantry copy SRC DST`: one reference copied by digest into another repository or registry.
struct CopyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "copy",
        abstract: "Copy an image or a multi-platform index, with every child, config, layer and attestation, by digest into another repository or registry.",
        discussion: """
            gantry copy ghcr.io/acme/app:1.2.3 docker.io/acme/app            by digest, no tag written
            gantry copy ghcr.io/acme/app@sha256:... 127.0.0.1:5000/acme/app:rc   then point rc at it
            What the target holds is skipped; blobs are mounted within one registry, else streamed; \
            every manifest goes in after what it refers to, so an interrupted copy is resumed by \
            running it again. A tag in DST is written last, once the digest reads back.
            Exit status: 0 copied and verified; 1 otherwise.
            """
    )

    @Argument(help: ArgumentHelp("What to copy: a reference with a tag or a digest.", valueName: "src"))
    var source: String

    @Argument(help: ArgumentHelp("Where to: a repository, optionally with a tag to point at the copy.", valueName: "dst"))
    var target: String

    @OptionGroup var registry: RegistryOptions

    @Flag(help: "Print the copy's report as JSON.")
    var json = false

    func run() async throws {
        let from: ImageReference, to: ImageReference
        do {
            from = try ImageReference.parse(source)
            to = try ImageReference.parse(target)
        } catch {
            throw ValidationError(error.description)
        }
        let report = try await registry.withClient { try await ImageCopier(client: $0).copy(from, to: to) }
        if json {
            print(try JSONOutput.encode(report))
        } else {
            print(report.description)
        }
    }
}
