/// Content addressed by digest never changes, so once fetched it is kept for the client's life.
actor ImmutableCache<Value: Sendable> {
    private var values: [String: Value] = [:]

    subscript(key: String) -> Value? { values[key] }

    func store(_ value: Value, for key: String) { values[key] = value }
}
