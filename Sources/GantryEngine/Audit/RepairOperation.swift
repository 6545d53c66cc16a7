/// What a repair does, as one of the engine's flows: the CLI prints it as a command, the
/// console runs the same flow (`flow(config:state:)`). Which repair fits which problem is
/// `RepairAdvisor`'s decision; this only says how to run it.
public enum RepairOperation: Sendable, Hashable {
    /// Point tags at the index another registry holds, copying it by digest first
    /// (`gantry tag HOST/REPO@DIGEST TAG --to HOST --expect TAG=DIGEST`).
    case tag(TagRequest)
    /// Continue an unfinished release, publish or promotion (`gantry resume ID`).
    case resume(ReleaseID)
    /// Publish what a finished release or build built (`gantry publish ID`), with the config it was made from.
    case publishJournal(ReleaseID, configPath: String?)
    /// Publish digests another tag of the same release holds (`gantry publish --release-version V --digest ...`).
    case publishDigests(version: String, sources: [PlatformSource])
    /// Copy the whole release from another registry and publish it in `to` (`gantry promote V --from HOST --to HOST`);
    /// `image`: the family member whose tags it repairs (`--only IMAGE`), with a family config.
    case promote(version: String, from: String, to: [String], configPath: String, image: String? = nil)

    /// The command line that does the same from a shell.
    public var command: String {
        switch self {
        case .tag(let request):
            return request.command
        case .resume(let id):
            return "gantry resume \(id)"
        case .publishJournal(let id, let configPath):
            return "gantry publish \(id)" + (configPath.map { " --config \(ShellQuote.quote($0))" } ?? "")
        case .publishDigests(let version, let sources):
            return "gantry publish --release-version \(version) " + sources.map { "--digest \($0.platform)=\($0.digest)" }.joined(separator: " ")
        case .promote(let version, let from, let to, let configPath, let image):
            return "gantry promote \(version) --from \(from) --config \(ShellQuote.quote(configPath))" + to.map { " --to \($0)" }.joined()
                + (image.map { " --only \(ShellQuote.quote($0))" } ?? "")
        }
    }

    /// The flow that carries the repair out: with `config` (the one the audit was made
    /// with), except a journal's publication, which uses the config the journal names. A
    /// family's repairs run as the family: a member's journal resumes with its family, a
    /// promotion promotes the image it repairs (`--only`) through the family's flow.
    public func flow(config: ReleaseConfig?, state: StateDirectory) throws -> RepairFlow {
        switch self {
        case .tag(let request):
            return .tag(.tag(request))
        case .resume(let id):
            if let family = FamilyJournals.family(of: id, in: JournalStore(state: state)) { return .family(.resume(family)) }
            return TagFlow.resumes(id, in: state) ? .tag(.resume(id)) : .release(.resume(id, config: nil))
        case .publishJournal(let id, let configPath):
            let config = try Self.needed(try configPath.map { try ReleaseConfigLoader.load(path: $0) } ?? config, command)
            // A family config's top-level image is not necessarily the journal's: never republished under it.
            if config.releasesFamily { throw RepairError(.familyConfig, "\(command) publishes one image's journal again, and \(config.source) is a family: release or resume the family instead") }
            let journaled = try JournalSources.of(id, in: state)
            guard let version = journaled.version else { throw RepairError(.unknownVersion, "\(id) has no version: run \(command) --release-version VERSION") }
            return .release(.republish(config, version, journaled, FlowOptions()))
        case .publishDigests(let version, let sources):
            let config = try Self.needed(config, command)
            // Which image's digests these are is not known here: the family config's top-level image must not get them.
            if config.releasesFamily { throw RepairError(.familyConfig, "\(command) publishes one image's digests, and \(config.source) is a family: run it with that image's own config") }
            return .release(.publish(config, try Self.parsed(version, command), sources: sources, FlowOptions()))
        case .promote(let version, let from, let to, _, let image):
            let config = try Self.needed(config, command)
            let version = try Self.parsed(version, command)
            if config.releasesFamily {
                return .family(.promote(config, version, from: from, to: to, FamilyOptions(only: image.map { [$0] } ?? [])))
            }
            return .release(.promote(config, version, from: from, to: to, FlowOptions()))
        }
    }

    /// The operation that does both `self` and `other`, when one can: the same operation,
    /// or promotions of one release from one registry (their targets together).
    func merged(with other: RepairOperation) -> RepairOperation? {
        if self == other { return self }
        if case .tag(let request) = self, case .tag(let more) = other { return request.merged(with: more).map { .tag($0) } }
        guard case .promote(let version, let from, let to, let configPath, let image) = self,
              case .promote(version, from, let more, configPath, image) = other else { return nil }
        return .promote(version: version, from: from, to: to + more.filter { !to.contains($0) }, configPath: configPath, image: image)
    }

    private static func needed(_ config: ReleaseConfig?, _ command: String) throws -> ReleaseConfig {
        guard let config else { throw RepairError(.needsConfig, "this repair needs the release config: pass --config PATH, or run \(command)") }
        return config
    }

    private static func parsed(_ version: String, _ command: String) throws -> SemanticVersion {
        do { return try SemanticVersion.parse(version) } catch {
            throw RepairError(.unknownVersion, "the release version is not known (\(version)): run \(command) with it")
        }
    }
}

/// The engine flow a repair runs as.
public enum RepairFlow: Sendable {
    /// A release, publish, promotion or resume (`ReleaseFlow`).
    case release(FlowRequest)
    /// A guarded tag move (`TagFlow`).
    case tag(TagFlow.Start)
    /// A family's resume or promotion (`FamilyRelease`).
    case family(FamilyRequest)
}
