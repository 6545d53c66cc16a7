/// Shares identical in-flight requests: the second caller awaits the first one's result.
actor InFlightRequests<Value: Sendable> {
    private var pending: [String: Task<Value, Error>] = [:]

    func run(_ key: String, _ body: @escaping @Sendable () async throws -> Value) async throws -> Value {
        if let task = pending[key] { return try await task.value }
        let task = Task { try await body() }
        pending[key] = task
        defer { pending[key] = nil }
        return try await task.value
    }
}
