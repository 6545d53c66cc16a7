import GantryEngine

/// The publish screen: per-registry progress, then the verification of every tag; a
/// family's per image and registry, grouped by image (named on its group's first row).
public struct PublishScreen: Sendable {
    public var model: PublishViewModel
    public var selected: Int
    /// Console time now, for each registry's time in its phase.
    public var now: Double
    public var theme: Theme

    /// A registry silent this long is said to be so (a stalled registry is not a hang).
    public static let silence: Double = 10

    public init(model: PublishViewModel, selected: Int, now: Double, theme: Theme) {
        self.model = model
        self.selected = selected
        self.now = now
        self.theme = theme
    }

    public func render(into grid: inout CellGrid, _ rect: Rect) {
        guard !model.registries.isEmpty else {
            grid.put("Nothing published yet: review the pending tags and press p.", x: rect.x, y: rect.y, style: theme.style(.muted), limit: rect.width)
            return
        }
        // A family's rows name their image; one image's screen has no such column, even empty.
        let family = model.registries.contains { $0.image != nil }
        let imageColumn = { (priority: Int) in family ? [TableColumn("Image", width: 10, flexible: true, priority: priority)] : [] }
        let progressHeight = min(model.registries.count + 1, rect.height)
        let (top, rest) = rect.splitTop(progressHeight + 1)
        let registries: [[TableCell]] = model.registries.indices.map { i in
            let r = model.registries[i]
            // Waiting is not a request in flight: no clock, and never "no answer".
            let elapsed = r.isActive && r.phase != .waiting ? r.since.map { max(0, now - $0) } : nil
            let silent = elapsed.map { $0 >= Self.silence } ?? false
            let message = silent ? "no answer for \(formatElapsed(Int(elapsed ?? 0)))" + (r.message.isEmpty ? "" : "; \(r.message)") : r.message
            return (family ? [Self.image(of: model.registries, at: i, \.image, theme)] : []) + [.plain(r.registry), .text(r.phase.rawValue, theme.style(role(r.phase), bold: r.phase == .failed)),
                    .progress(done: r.done, total: r.total, theme.style(role(r.phase))),
                    .plain(elapsed.map { formatElapsed(Int($0)) } ?? ""),
                    .text(message, theme.style(r.phase == .failed ? .danger : silent ? .warning : .muted))]
        }
        Table(columns: imageColumn(95) + [
            TableColumn("Registry", width: 14, flexible: true, priority: 100),
            TableColumn("Phase", width: 9, priority: 90),
            TableColumn("Progress", width: 12, flexible: true, priority: 80),
            TableColumn("Time", width: 6, priority: 85, alignRight: true),
            TableColumn("Message", width: 12, flexible: true, priority: 10),
        ], rows: registries).render(into: &grid, top, theme: theme)
        guard rest.height > 1 else { return }
        let verified = model.verifications.filter { $0.result == .verified }.count
        grid.put("Verification \(verified)/\(model.tagsToVerify)", x: rest.x, y: rest.y, style: theme.heading, limit: rest.width)
        let rows: [[TableCell]] = model.verifications.indices.map { i in
            let v = model.verifications[i]
            let (text, r) = describe(v.result)
            return (family ? [Self.image(of: model.verifications, at: i, \.image, theme)] : []) + [.plain(v.registry), .text(v.tag, theme.style(.plain, bold: true)), .text(Digest.short(v.expectedDigest), theme.style(.muted)),
                    .text(text, theme.style(r, bold: r == .danger))]
        }
        Table(columns: imageColumn(92) + [
            TableColumn("Registry", width: 14, flexible: true, priority: 90),
            TableColumn("Tag", width: 10, flexible: true, priority: 100),
            TableColumn("Expected", width: 12, priority: 50),
            TableColumn("Result", width: 14, flexible: true, priority: 95),
        ], rows: rows, selected: selected).render(into: &grid, Rect(x: rest.x, y: rest.y + 1, width: rest.width, height: rest.height - 1), theme: theme)
    }

    /// The image of row `i`, on the first row of its group only (an empty column takes no room).
    private static func image<Row>(of rows: [Row], at i: Int, _ image: KeyPath<Row, String?>, _ theme: Theme) -> TableCell {
        let name = rows[i][keyPath: image]
        return .text(i > 0 && rows[i - 1][keyPath: image] == name ? "" : name ?? "", theme.heading)
    }

    private func role(_ phase: PublishViewModel.RegistryRow.Phase) -> ColorRole {
        switch phase {
        case .waiting: return .muted
        case .copying, .tagging, .verifying: return .info
        case .done: return .success
        case .failed: return .danger
        }
    }

    private func describe(_ result: PublishViewModel.VerificationRow.Result) -> (String, ColorRole) {
        switch result {
        case .pending: return ("… pending", .muted)
        case .verified: return ("✓ verified", .success)
        case .mismatch(let actual): return ("✗ points at \(Digest.short(actual))", .danger)
        case .missing: return ("✗ missing", .danger)
        case .error(let e): return ("✗ \(e)", .danger)
        }
    }
}
