import Foundation

/// A docker credential helper (`docker-credential-<name>`), asked with its `get` protocol:
/// the server URL on stdin, `{"ServerURL","Username","Secret"}` on stdout, a non-zero
/// exit when it has nothing for that server.
struct CredentialHelper: Sendable {
    var name: String
    var searchPath: [String]
    var timeout: Duration = .seconds(30)

    var executableName: String { "docker-credential-\(name)" }

    func get(serverURL: String) async throws(RegistryError) -> RegistryCredential? {
        guard let executable = searchPath.lazy.map({ "\($0)/\(executableName)" })
            .first(where: { FileManager.default.isExecutableFile(atPath: $0) })
        else {
            throw RegistryError(.credentials, "the credential helper \(executableName) named in the docker config is not on the search path")
        }
        let output: HelperOutput
        do {
            output = try await run(executable, input: serverURL)
        } catch {
            throw RegistryError(.credentials, "\(executableName) get could not run: \(error)")
        }
        guard output.status == 0 else {
            // The protocol's "not found" is a failing exit; docker treats it as anonymous.
            if output.stdout.lowercased().contains("credentials not found") || output.stderr.lowercased().contains("credentials not found") {
                return nil
            }
            // Its output is never copied anywhere: a failing helper may print the secret.
            throw RegistryError(.credentials, "\(executableName) get exited with status \(output.status) (its output is not shown: it may hold a secret)")
        }
        struct Answer: Decodable { var Username: String; var Secret: String }
        guard let answer = try? JSONDecoder().decode(Answer.self, from: Data(output.stdout.utf8)) else {
            throw RegistryError(.credentials, "\(executableName) get did not print {\"Username\",\"Secret\"} JSON")
        }
        return RegistryCredential(username: answer.Username, secret: answer.Secret)
    }

    struct HelperOutput: Sendable {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// Runs the helper without blocking a concurrency thread; ends it (SIGTERM, then SIGKILL) past the timeout.
    private func run(_ executable: String, input: String) async throws -> HelperOutput {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = ["get"]
        let stdin = Pipe(), stdout = Pipe(), stderr = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stderr
        let exited = AsyncStream<Int32>.makeStream()
        process.terminationHandler = { exited.continuation.yield($0.terminationStatus) }
        try process.run()
        // A helper that exits without reading its input closes the pipe: not an error here.
        try? stdin.fileHandleForWriting.write(contentsOf: Data(input.utf8))
        try? stdin.fileHandleForWriting.close()
        let watchdog = Task {
            try await Task.sleep(for: timeout)
            process.terminate()
            try await Task.sleep(for: .seconds(2))
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        }
        var status: Int32 = -1
        for await s in exited.stream {
            status = s
            break
        }
        watchdog.cancel()
        let out = stdout.fileHandleForReading.readDataToEndOfFile()
        let err = stderr.fileHandleForReading.readDataToEndOfFile()
        return HelperOutput(
            status: status, stdout: String(decoding: out, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines),
            stderr: String(decoding: err, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
    }
}
