/// Shares identical in-flight requests: the second caller awaits the first one's result.
/// With `remembers`, a finished result also serves every later caller, so each key is
/// looked up once for the life of the actor (one audit, say).
actor InFlightRequests<Value: Sendable> {
    private var pending: [String: Task<Value, Error>] = [:]
    private let remembers: Bool

    init(remembers: Bool = false) { self.remembers = remembers }

    func run(_ key: String, _ body: @escaping @Sendable () async throws -> Value) async throws -> Value {
        if let task = pending[key] { return try await task.value }
        let task = Task { try await body() }
        pending[key] = task
        defer { if !remembers { pending[key] = nil } }
        return try await task.value
    }
}
