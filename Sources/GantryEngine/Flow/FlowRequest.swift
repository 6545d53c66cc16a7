import Foundation

/// What a flow is asked to do.
public enum FlowRequest: Sendable {
    /// Build every platform of the version, then publish once the user confirms.
    case release(ReleaseConfig, SemanticVersion, FlowOptions)
    /// Build only (`gantry build`): a journal of kind `build`, published later with `gantry publish ID`.
    case build(ReleaseConfig, SemanticVersion, FlowOptions, platforms: [Platform]?)
    /// Publish digests that already exist in the registries (`gantry publish`).
    case publish(ReleaseConfig, SemanticVersion, sources: [PlatformSource], FlowOptions)
    /// Publish again what a journaled release or build produced (`gantry publish ID`): the
    /// index it confirmed, byte for byte, when it confirmed one; else an index of its digests
    /// with its own annotations (its revision and creation time, never today's).
    case republish(ReleaseConfig, SemanticVersion, JournalSources, FlowOptions)
    /// Copy the release the version's tag points to in `from` (a whole one) to `to` (nil:
    /// every other configured registry) by digest, then publish it there (`gantry promote`).
    case promote(ReleaseConfig, SemanticVersion, from: String, to: [String]?, FlowOptions)
    /// Continue a journaled release (nil: the newest unfinished one), strictly with the
    /// settings it started with. `config`, when given, must be the config it started with.
    case resume(ReleaseID?, config: String?)
}

/// The choices of a new flow; journaled as its `ReleaseSettings`.
public struct FlowOptions: Sendable {
    /// nil: the config's choice (`auto` resolved on this machine).
    public var builder: BuilderChoice?
    public var publisher: PublisherChoice?
    /// nil: `$GITHUB_SHA`, else the git HEAD of the build context.
    public var revision: String?
    public var allowPartial: Set<Platform>
    public var allowDowngrade: Bool
    /// A full-version tag may get other bytes than the ones it holds (`--allow-version-rewrite`).
    public var allowVersionRewrite: Bool
    public var failFast: Bool
    /// The family release this flow is a member of (`FamilyRelease` sets it).
    public var family: FamilyLink?

    public init(
        builder: BuilderChoice? = nil, publisher: PublisherChoice? = nil, revision: String? = nil,
        allowPartial: Set<Platform> = [], allowDowngrade: Bool = false, allowVersionRewrite: Bool = false, failFast: Bool = false
    ) {
        self.allowVersionRewrite = allowVersionRewrite
        self.builder = builder
        self.publisher = publisher
        self.revision = revision
        self.allowPartial = allowPartial
        self.allowDowngrade = allowDowngrade
        self.failFast = failFast
    }
}

/// Where a flow runs: the state folder and how it reaches builders and registries.
public struct FlowEnvironment: Sendable {
    public var state: StateDirectory
    /// `docker` (a name on PATH or a path) for buildx and imagetools.
    public var docker: String
    /// Extra environment for child processes.
    public var environment: [String: String]
    /// A registry client to use instead of one made from the config; its owner shuts it down.
    public var client: RegistryClient?
    public var credentials: CredentialStore?
    /// `--ca-bundle`: CA certificates trusted for every registry, besides the system's,
    /// `SSL_CERT_FILE`, `SSL_CERT_DIR` and each registry's `ca:`.
    public var caBundle: String?
    /// The time new release ids are made from.
    public var now: @Sendable () -> Date
    /// A `parallel` limit shared with other flows (a family's images); nil: the flow's own.
    public var buildSlots: BuildSlots?
    /// The family release running this flow: only it may resume its members' journals.
    public var family: ReleaseID?

    public init(
        state: StateDirectory, docker: String = "docker", environment: [String: String] = [:],
        client: RegistryClient? = nil, credentials: CredentialStore? = nil, caBundle: String? = nil,
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.state = state
        self.docker = docker
        self.environment = environment
        self.client = client
        self.credentials = credentials
        self.caBundle = caBundle
        self.now = now
    }
}

/// What a release flow does; the journal kinds a `ReleaseFlow` runs (a rollback is a `RollbackFlow`).
public enum FlowKind: String, Sendable, Equatable {
    case release, build, publish, promote

    public init?(_ kind: ReleaseJournal.Kind) {
        switch kind {
        case .release: self = .release
        case .build: self = .build
        case .publish: self = .publish
        case .promote: self = .promote
        case .rollback, .tag: return nil
        }
    }

    public var journalKind: ReleaseJournal.Kind {
        switch self {
        case .release: .release
        case .build: .build
        case .publish: .publish
        case .promote: .promote
        }
    }

    /// Whether the flow builds platforms (a publish and a promotion use existing digests).
    public var builds: Bool { self == .release || self == .build }
}

/// Where a flow stands.
public enum FlowStage: String, Sendable, Equatable {
    /// A promotion copies its release to the target registries.
    case copying
    case building, built
    /// The pending tag set is shown; the user has not answered yet.
    case awaitingConfirmation
    case publishing, verified
    /// Publishing failed in some registry: resumable.
    case failed
    /// The user declined the pending tag set: nothing was published.
    case declined
    /// The builds were cancelled: nothing was published.
    case cancelled
    /// Publishing was refused once the pending set was shown (a version rewrite without
    /// `--allow-version-rewrite`): nothing was published.
    case refused
}

/// How a flow's run ended.
public struct FlowOutcome: Sendable, Equatable {
    public var journal: ReleaseJournal
    public var stage: FlowStage
    /// Why nothing (more) was published, when the flow stopped before publishing.
    public var refusal: FlowRefusal?

    /// The run did what it was asked: a release verified, or a build built.
    public var succeeded: Bool {
        journal.kind == .build ? journal.phase == .built : stage == .verified
    }

    /// The command that goes on from here, when there is one.
    public var next: String? {
        let id = journal.id.rawValue
        switch stage {
        case .verified:
            guard let registry = journal.registries.first, let tag = journal.tags.first else { return nil }
            return "gantry audit \(registry.repository(for: journal.image).with(tag: tag))"
        case .built where journal.kind == .build:
            return "gantry publish \(id)"
        case .copying, .building, .built, .awaitingConfirmation, .publishing, .failed:
            return "gantry resume \(id)"
        case .declined, .cancelled, .refused:
            return nil
        }
    }
}

extension RegistryClient {
    /// The client a flow makes for itself when its environment gives none; its owner shuts it down.
    static func forFlow(registries: [RegistryTarget], environment: FlowEnvironment) throws -> RegistryClient {
        try RegistryClient(
            configuration: RegistryClientConfiguration(
                registries: registries, caBundle: environment.caBundle,
                maxConcurrentRequestsPerRegistry: RegistryClientConfiguration.releaseConcurrency),
            credentials: environment.credentials ?? .fromDockerConfig())
    }
}
