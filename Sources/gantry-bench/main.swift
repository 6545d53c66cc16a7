import Foundation

// `gantry-bench NAME [OPTIONS]`: each benchmark lives in its own file; this only dispatches.
// Every benchmark prints its figures as rows of one table (`Figure`), each beside its target.
let benchmarks: [(name: String, run: ([String]) async throws -> Void)] = [
    ("publish", { try await PublishBenchmark.run(familyOnly: $0.contains("--family-only")) }),
    ("audit", { _ in try await AuditBenchmark.run() }),
    ("audit-scale", { try await AuditScaleBenchmark.run($0) }),
    ("copy", { _ in try await CopyBenchmark.run() }),
    ("faults", { _ in try await FaultBenchmark.run() }),
    ("journal-list", { _ in try await JournalListBenchmark.run() }),
    ("matrix", { try await MatrixBenchmark.run($0) }),
    ("tui", { try await TUIBenchmark.run($0) }),
] + BuildBenchmarks.names.map { name in (name, { _ in try await BuildBenchmarks.run(name) }) }

let name = CommandLine.arguments.dropFirst().first ?? ""
guard let benchmark = benchmarks.first(where: { $0.name == name }) else {
    FileHandle.standardError.write(Data("usage: gantry-bench \(benchmarks.map(\.name).joined(separator: "|")) [options]\n".utf8))
    exit(2)
}
do {
    Figure.header.print()
    try await benchmark.run(Array(CommandLine.arguments.dropFirst(2)))
} catch {
    FileHandle.standardError.write(Data("gantry-bench \(name): \(error)\n".utf8))
    exit(1)
}
