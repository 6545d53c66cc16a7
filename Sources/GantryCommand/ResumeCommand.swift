import ArgumentParser
import Foundation
import GantryEngine

/// `gantry resume [ID]`: continues an interrupted release.
struct ResumeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "resume",
        abstract: "Continue an interrupted release: rebuild only what is missing, recompute and confirm the pending tags, publish what is not verified.",
        discussion: "Without ID, the newest unfinished release in the state folder."
    )

    @OptionGroup var options: ConfigOptions
    @OptionGroup var publishing: PublishingOptions

    @Argument(help: "The release id (see `gantry journal list`).")
    var id: String?

    func run() async throws {
        let store = JournalStore(state: options.state)
        let journal = try Self.pick(id, store: store)
        guard !journal.phase.isFinished else {
            throw ValidationError("release \(journal.id) is \(journal.phase.rawValue); there is nothing to resume")
        }
        guard journal.kind == .release, let version = journal.version else {
            throw ValidationError("\(journal.id) is a \(journal.kind.rawValue); run the \(journal.kind.rawValue) again instead")
        }
        let session = try await Self.session(resuming: journal, options: options, publisher: publishing.publisher)
        defer { Task { try? await session.toolchain.client.shutdown() } }
        let output = ReleaseOutput(json: publishing.json)
        output.say("resuming \(journal.id) (\(journal.image) \(version), \(journal.phase.rawValue))")
        let built = try await Interruptible.run { try await session.build(onEvent: output.emit) }
        guard built.phase == .built || !publishing.allowPartial.isEmpty else {
            output.say("builds did not all succeed; nothing was published")
            throw ExitCode(1)
        }
        try await publishing.confirmAndPublish(session, output: output)
    }

    /// A session continuing `journal`, with the config it was released from (or `--config`).
    static func session(resuming journal: ReleaseJournal, options: ConfigOptions, publisher: PublisherChoice?) async throws -> ReleaseSession {
        let configPath = options.config ?? journal.configPath ?? options.configPath
        let config = try ReleaseConfigLoader.load(path: configPath)
        guard config.image == journal.image else {
            throw ValidationError("\(configPath) releases \(config.image), but \(journal.id) released \(journal.image)")
        }
        let toolchain = await ReleaseToolchain.make(config: config, publisher: publisher)
        let revision = SourceRevision.detect(context: config.build.context, relativeTo: config.source)
        return ReleaseSession.resume(journal, config: config, state: options.state, toolchain: toolchain, revision: revision)
    }

    /// The journal named `id`, or the newest unfinished one.
    static func pick(_ id: String?, store: JournalStore) throws -> ReleaseJournal {
        if let id { return try store.load(ReleaseID(rawValue: id)) }
        let unfinished = store.list().compactMap { try? $0.get() }.filter { !$0.phase.isFinished && $0.kind == .release }
        guard let newest = unfinished.max(by: { $0.updatedAt < $1.updatedAt }) else {
            throw ValidationError("no unfinished release in \(store.state.root.path)")
        }
        return newest
    }
}
