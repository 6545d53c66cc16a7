import GantryEngine

extension PublishViewModel {
    /// Publishing progress into one registry.
    public struct RegistryRow: Hashable, Sendable {
        public enum Phase: String, Hashable, Sendable { case waiting, copying, tagging, verifying, done, failed }

        /// The family member published (`acme/worker`); nil in a release of one image.
        public var image: String?
        public var registry: String
        public var phase: Phase
        public var done: Int
        public var total: Int
        public var message: String
        /// Console time when the registry entered this phase (stamped as events arrive).
        public var since: Double?

        /// Still working on it (not done, not failed).
        public var isActive: Bool { phase != .done && phase != .failed }

        public init(registry: String, phase: Phase, done: Int, total: Int, message: String = "", image: String? = nil) {
            self.image = image.map(Sanitizer.clean)
            self.registry = Sanitizer.clean(registry)
            self.phase = phase
            self.done = done
            self.total = total
            self.message = Sanitizer.clean(message)
        }
    }
}

extension PublishViewModel {
    /// The check, after publishing, that a tag resolves to the digest it should.
    public struct VerificationRow: Hashable, Sendable {
        public enum Result: Hashable, Sendable {
            case pending, verified, mismatch(actual: String), missing, error(String)
        }

        /// The family member whose tag this is; nil in a release of one image.
        public var image: String?
        public var registry: String
        public var tag: String
        public var expectedDigest: String
        public var result: Result

        public init(registry: String, tag: String, expectedDigest: String, result: Result, image: String? = nil) {
            self.image = image.map(Sanitizer.clean)
            self.registry = Sanitizer.clean(registry)
            self.tag = Sanitizer.clean(tag)
            self.expectedDigest = expectedDigest
            if case .error(let e) = result { self.result = .error(Sanitizer.clean(e)) } else { self.result = result }
        }
    }
}

/// What the publish screen shows.
public struct PublishViewModel: Hashable, Sendable {
    public var registries: [PublishViewModel.RegistryRow]
    public var verifications: [PublishViewModel.VerificationRow]

    public init(registries: [PublishViewModel.RegistryRow], verifications: [PublishViewModel.VerificationRow]) {
        self.registries = registries
        self.verifications = verifications
    }

    public static let empty = PublishViewModel(registries: [], verifications: [])

    /// Every tag this publication writes, over every registry: what the verification counts
    /// up to (a registry not read back yet counts as not verified, never as absent).
    public var tagsToVerify: Int { registries.reduce(0) { $0 + $1.total } }
}
