import GantryEngine

/// The header of the release screen.
public struct ReleaseHeader: Hashable, Sendable {
    public var image: String
    public var version: String
    public var registries: [String]
    public var builders: [String]

    public init(image: String, version: String, registries: [String], builders: [String]) {
        self.image = Sanitizer.clean(image)
        self.version = Sanitizer.clean(version)
        self.registries = registries.map(Sanitizer.clean)
        self.builders = builders.map(Sanitizer.clean)
    }

    /// The header of a release of `image` at `version`.
    public init(image: ImageReference, version: SemanticVersion, registries: [String], builders: [String]) {
        self.init(image: image.name, version: version.description, registries: registries, builders: builders)
    }
}

/// One row of the platform matrix.
public struct PlatformRow: Hashable, Sendable {
    public var platform: Platform
    public var builder: String
    public var state: PlatformRow.State
    public var stepsDone: Int
    public var stepsTotal: Int
    public var currentStep: String
    /// Seconds on the console's clock when the build started and ended.
    public var startedAt: Double?
    public var endedAt: Double?
    public var digest: String?
    public var failure: String?
    /// The last step that started (what a failure happened in).
    public var lastStep = ""
    public var log: LogBuffer

    public init(platform: Platform, builder: String, state: PlatformRow.State = .queued, stepsDone: Int = 0, stepsTotal: Int = 0,
                currentStep: String = "", startedAt: Double? = nil, endedAt: Double? = nil, digest: String? = nil,
                failure: String? = nil, log: LogBuffer = LogBuffer()) {
        self.platform = platform
        self.builder = Sanitizer.clean(builder)
        self.state = state
        self.stepsDone = stepsDone
        self.stepsTotal = stepsTotal
        self.currentStep = Sanitizer.clean(currentStep)
        self.startedAt = startedAt
        self.endedAt = endedAt
        self.digest = digest
        self.failure = failure.map(Sanitizer.clean)
        self.log = log
    }

    /// Whole seconds since the build started (until it ended), or nil before it starts.
    public func elapsed(now: Double) -> Int? {
        guard let startedAt else { return nil }
        return max(0, Int((endedAt ?? now) - startedAt))
    }
}

/// What the release screen shows: the header and one row per platform.
public struct ReleaseViewModel: Hashable, Sendable {
    public var header: ReleaseHeader
    public var rows: [PlatformRow]

    public init(header: ReleaseHeader, rows: [PlatformRow]) {
        self.header = header
        self.rows = rows
    }

    /// True while any platform is queued, building or pushing.
    public var isBuilding: Bool { rows.contains { $0.state.isActive } }
    /// True when every platform has a digest (done or cached).
    public var allBuilt: Bool { !rows.isEmpty && rows.allSatisfy(\.state.hasDigest) }
}
