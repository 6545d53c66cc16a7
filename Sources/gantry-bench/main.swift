import Foundation

// `gantry-bench NAME`: each benchmark lives in its own file; this only dispatches.
let name = CommandLine.arguments.dropFirst().first ?? ""
do {
    if name == "audit" {
        try await AuditBenchmark.run()
    } else if name == "faults" {
        try await FaultBenchmark.run()
    } else if name == "copy" {
        try await CopyBenchmark.run()
    } else if name == "tui" {
        try await TUIBenchmark.run(Array(CommandLine.arguments.dropFirst(2)))
    } else if BuildBenchmarks.names.contains(name) {
        try await BuildBenchmarks.run(name)
    } else {
        FileHandle.standardError.write(Data("usage: gantry-bench \((["audit", "copy", "faults", "tui"] + BuildBenchmarks.names).joined(separator: "|"))\n".utf8))
        exit(2)
    }
} catch {
    FileHandle.standardError.write(Data("gantry-bench \(name): \(error)\n".utf8))
    exit(1)
}
