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
    /// The family member the row builds (`acme/app:slim`); nil in a release of one image.
    public var image: String?
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
                failure: String? = nil, log: LogBuffer = LogBuffer(), image: String? = nil) {
        self.image = image.map(Sanitizer.clean)
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

    /// What identifies the row in the matrix: its image and platform.
    public var key: Key { Key(image: image, platform: platform) }

    public struct Key: Hashable, Sendable {
        public var image: String?
        public var platform: Platform
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

    /// The matrix's lines: one per row, or, when the rows span a family's images, a header
    /// line per image followed by its rows unless the image is folded (`collapsed`).
    public func lines(collapsed: Set<String> = []) -> [MatrixLine] {
        guard rows.contains(where: { $0.image != nil }) else { return rows.indices.map(MatrixLine.platform) }
        var order: [String] = []
        var members: [String: [Int]] = [:]
        for (i, row) in rows.enumerated() {
            let image = row.image ?? header.image
            if members[image] == nil { order.append(image) }
            members[image, default: []].append(i)
        }
        return order.flatMap { image -> [MatrixLine] in
            let indices = members[image] ?? []
            let header = MatrixLine.image(image, rows: indices, collapsed: collapsed.contains(image))
            return collapsed.contains(image) ? [header] : [header] + indices.map(MatrixLine.platform)
        }
    }

    /// True while any platform is queued, building or pushing.
    public var isBuilding: Bool { rows.contains { $0.state.isActive } }
    /// True when every platform has a digest (done or cached).
    public var allBuilt: Bool { !rows.isEmpty && rows.allSatisfy(\.state.hasDigest) }
}

/// One line of the platform matrix: an image's header (in a family) or a platform's row.
public enum MatrixLine: Hashable, Sendable {
    /// An image of a family, with the indices of its rows, and whether they are folded away.
    case image(String, rows: [Int], collapsed: Bool)
    /// The row at this index of `ReleaseViewModel.rows`.
    case platform(Int)

    /// The row index of a platform's line; nil for an image's header.
    public var row: Int? { if case .platform(let i) = self { i } else { nil } }
}
