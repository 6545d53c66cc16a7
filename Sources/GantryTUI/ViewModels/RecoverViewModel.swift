import GantryEngine

extension RecoverViewModel {
    /// One unfinished release found in the journal.
    public struct Entry: Hashable, Sendable {
        public var id: String
        public var image: String
        public var version: String
        public var startedAt: String
        /// The last step the journal recorded (`built 3 of 4 platforms`, `tagged ghcr.io`).
        public var stage: String
        /// Why it cannot be resumed now (running elsewhere, corrupt, config changed), from the
        /// flow; nil when Enter resumes it.
        public var resumeRefusal: String?
        /// Set when the journal is a tag move (`gantry tag`): Enter continues it in Home, in
        /// its confirmation dialog, not in the release console.
        public var tagMove: ReleaseID?
        /// Its standing (`JournalStanding.note`: `unfinished`, `declined`, `superseded by …`); empty when unreadable.
        public var note: String

        public init(
            id: String, image: String, version: String, startedAt: String, stage: String, resumeRefusal: String? = nil, tagMove: ReleaseID? = nil,
            note: String = ""
        ) {
            self.id = Sanitizer.clean(id)
            self.image = Sanitizer.clean(image)
            self.version = Sanitizer.clean(version)
            self.startedAt = Sanitizer.clean(startedAt)
            self.stage = Sanitizer.clean(stage)
            self.resumeRefusal = resumeRefusal.map(Sanitizer.clean)
            self.tagMove = tagMove
            self.note = Sanitizer.clean(note)
        }
    }
}

/// What the recover screen shows.
public struct RecoverViewModel: Hashable, Sendable {
    /// The journals offered for resume (running ones and unreadable ones too), newest first.
    public var releases: [RecoverViewModel.Entry]
    /// Every other journal (finished, declined, quit before confirming, superseded,
    /// dismissed), newest first: what `a` adds.
    public var notOffered: [RecoverViewModel.Entry]

    public init(releases: [RecoverViewModel.Entry], notOffered: [RecoverViewModel.Entry] = []) {
        self.releases = releases
        self.notOffered = notOffered
    }

    /// Every journal, newest first (ISO 8601 start times sort as text; unreadable ones last).
    public var everyJournal: [RecoverViewModel.Entry] {
        (releases + notOffered).sorted { ($0.startedAt.isEmpty ? 1 : 0, $1.startedAt) < ($1.startedAt.isEmpty ? 1 : 0, $0.startedAt) }
    }

    public static let empty = RecoverViewModel(releases: [])
}

/// What the home screen shows about the project.
public struct HomeViewModel: Hashable, Sendable {
    public var configPath: String
    public var image: String
    /// A family config's images (`acme/app`, `acme/app:slim`, `acme/worker`), released
    /// together; empty for one image. A Bake group's are known only once its release reads it.
    public var images: [String]
    public var nextVersion: String?
    public var unfinishedReleases: Int
    /// Versions to offer for a new release, and where they come from (`newest tag 1.4.2 in ghcr.io`).
    public var suggestions: [String]
    public var suggestionSource: String
    /// Why the config at `configPath` could not be loaded, a line each (`file:line:col: field: message`).
    public var configProblems: [String]
    /// The image's half-published release: the first suggestion finishes it, any other version asks first.
    public var halfPublished: HalfPublished?

    /// A release that wrote some registries and not others (`HalfPublishedRelease`), as Home shows it.
    public struct HalfPublished: Hashable, Sendable {
        public var id: String
        public var version: String
        /// `1.1.0 is half-published (b.example not written)`.
        public var warning: String

        public init(_ release: HalfPublishedRelease) {
            id = Sanitizer.clean(release.id.rawValue)
            version = release.version.description
            warning = Sanitizer.clean(release.description)
        }
    }

    public init(
        configPath: String, image: String, nextVersion: String?, unfinishedReleases: Int, suggestions: [String] = [], suggestionSource: String = "",
        configProblems: [String] = [], halfPublished: HalfPublished? = nil, images: [String] = []
    ) {
        self.images = images.map(Sanitizer.clean)
        self.configPath = Sanitizer.clean(configPath)
        self.image = Sanitizer.clean(image)
        self.nextVersion = nextVersion.map(Sanitizer.clean)
        self.unfinishedReleases = unfinishedReleases
        self.suggestions = suggestions.map(Sanitizer.clean)
        self.suggestionSource = Sanitizer.clean(suggestionSource)
        self.configProblems = configProblems.map(Sanitizer.clean)
        self.halfPublished = halfPublished
    }

    public static let empty = HomeViewModel(configPath: "", image: "", nextVersion: nil, unfinishedReleases: 0)
}
