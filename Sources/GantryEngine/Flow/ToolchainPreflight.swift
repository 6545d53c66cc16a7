/// The checks a flow makes before it builds or publishes anything: the builder's and the
/// publisher's tools run, and every registry answers `/v2/` with the configured
/// credentials. Without them a missing buildx or a registry on a wrong port shows only
/// after every platform built and failed.
struct ToolchainPreflight: Sendable {
    let toolchain: ReleaseToolchain
    let registries: [RegistryTarget]

    /// Every problem at once, thrown as one error; `builds` and `publishes` say which tools the flow uses.
    func check(builds: Bool, publishes: Bool, configPath: String, next: String) async throws {
        var problems: [ToolchainPreflightError.Problem] = []
        if builds, let missing = await missingBuilder() { problems.append(missing) }
        if publishes, toolchain.publisher == .imagetools, toolchain.builder != .buildx || !builds,
           !(await BuilderDetection.buildxWorks(docker: toolchain.docker, environment: toolchain.environment)) {
            problems.append(.toolMissing(tool: "docker buildx imagetools", command: "\(toolchain.docker) buildx version", choice: "publisher: native"))
        }
        problems += await withTaskGroup(of: (Int, ToolchainPreflightError.Problem?).self) { group in
            for (i, registry) in registries.enumerated() {
                group.addTask { (i, await self.problem(with: registry)) }
            }
            var found: [(Int, ToolchainPreflightError.Problem)] = []
            for await (i, problem) in group { if let problem { found.append((i, problem)) } }
            return found.sorted { $0.0 < $1.0 }.map(\.1)
        }
        guard problems.isEmpty else { throw ToolchainPreflightError(problems: problems, configPath: configPath, next: next) }
    }

    private func missingBuilder() async -> ToolchainPreflightError.Problem? {
        switch toolchain.builder {
        case .buildah:
            guard await BuilderDetection.buildahWorks(environment: toolchain.environment) else {
                return .toolMissing(tool: "buildah", command: "buildah version", choice: "builder: buildx")
            }
        case .buildx, .auto:
            guard await BuilderDetection.buildxWorks(docker: toolchain.docker, environment: toolchain.environment) else {
                return .toolMissing(tool: "docker buildx", command: "\(toolchain.docker) buildx version", choice: "builder: buildah")
            }
        }
        return nil
    }

    private func problem(with registry: RegistryTarget) async -> ToolchainPreflightError.Problem? {
        do {
            try await toolchain.client.checkAPI(registry.host)
            return nil
        } catch let error as RegistryError {
            return .registry(host: registry.host, plainHTTP: registry.usesPlainHTTP, error: error)
        } catch {
            return .registry(host: registry.host, plainHTTP: registry.usesPlainHTTP, error: RegistryError(.transport, RecordedError(error).message))
        }
    }
}

/// Why a flow stopped before its first build: a tool that does not run, a registry that
/// does not answer or refuses the credentials. Nothing was built, journaled or published.
public struct ToolchainPreflightError: ClassifiedError, Sendable, Equatable {
    public enum Problem: Sendable, Equatable {
        /// `command` failed; `choice` is the config setting that avoids the tool.
        case toolMissing(tool: String, command: String, choice: String)
        case registry(host: String, plainHTTP: Bool, error: RegistryError)
    }

    public var problems: [Problem]
    /// The config to fix, and the command that starts again once it is.
    public var configPath: String
    public var next: String

    public var code: String {
        guard case .registry = problems.first else { return "preflight.tool" }
        return "preflight.registry"
    }

    public var description: String {
        "nothing was built: the checks before building failed:\n"
            + problems.map { "  - " + sentence($0) }.joined(separator: "\n")
            + "\nnext: fix that, then run \(next) again"
    }

    /// One problem in Gantry's words: the host or tool, what failed, what to do.
    private func sentence(_ problem: Problem) -> String {
        switch problem {
        case .toolMissing(let tool, let command, let choice):
            return "\(tool) is not available (`\(command)` failed): install it, or set `\(choice)` in \(configPath)"
        case .registry(let host, let plainHTTP, let error):
            let insecure = "set `insecure: true` for this registry in \(configPath)"
            switch (error.kind, error.connection) {
            case (.transport, .refused?):
                return "\(host): nothing answers there (connection refused): is the host or port in \(configPath) right, and is the registry running?"
            case (.transport, .unknownHost?):
                return "\(host): no such host (its name does not resolve): fix the registry's host in \(configPath)"
            case (.transport, .untrustedCertificate?):
                return "\(host): the certificate of \(host) is not trusted: pass --ca-bundle, or set `ca:` (the PEM file of its CA) for this registry in \(configPath)"
            case (.transport, .tls?) where !plainHTTP:
                return "\(host): the TLS handshake failed; a registry that speaks plain HTTP needs it said: \(insecure)"
            case (.transport, .tls?):
                return "\(host): the TLS handshake failed: check the registry's certificate"
            case (.transport, .timedOut?):
                return "\(host): no answer in time: is the host or port in \(configPath) right, and is the registry up?"
            case (.invalidResponse, _) where !plainHTTP:
                return "\(host): the answer to GET /v2/ is not a registry's (\(error.message)); if it speaks plain HTTP, \(insecure)"
            case (.unauthorized, _), (.denied, _), (.credentials, _):
                return "\(host): refused the credentials (\(error.description)): log in with `docker login \(host)`"
            default:
                return "\(host): GET /v2/ failed: \(error.description)"
            }
        }
    }
}
